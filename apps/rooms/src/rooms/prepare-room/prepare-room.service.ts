import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { buildEvent, RoomSettingsChanged } from '@confer/contracts';
import { OutboxWriter } from '@confer/outbox';
import { RoomEntity } from '../room.entity';
import { RoomSettingsValues } from '../room-settings';
import { lockRoom } from '../room-lock';
import { LiveRooms } from '../live-rooms';

/** Creates a room ahead of its first participant, or replaces its settings (idempotent PUT). */
@Injectable()
export class PrepareRoom {
  constructor(
    private readonly dataSource: DataSource,
    private readonly liveRooms: LiveRooms,
    private readonly outbox: OutboxWriter,
  ) {}

  async execute(
    orgId: string,
    roomId: string,
    settings: RoomSettingsValues,
    by: string,
  ): Promise<{ room: RoomEntity; created: boolean }> {
    return this.dataSource.transaction(async (tx) => {
      await lockRoom(tx, orgId, roomId);
      const repo = tx.getRepository(RoomEntity);
      const before = await repo.findOneBy({ orgId, roomId });
      const clean = JSON.parse(JSON.stringify(settings)) as RoomSettingsValues;
      await tx.query(
        `INSERT INTO rooms (org_id, room_id, settings, prepared) VALUES ($1, $2, $3, true)
         ON CONFLICT (org_id, room_id) DO UPDATE SET settings = EXCLUDED.settings, prepared = true, updated_at = now()`,
        [orgId, roomId, JSON.stringify(clean)],
      );
      const room = (await repo.findOneBy({ orgId, roomId })) as RoomEntity;
      if (JSON.stringify(before?.settings ?? null) !== JSON.stringify(clean)) {
        const live = await this.liveRooms.liveSession(tx, orgId, roomId);
        await this.outbox.add(
          tx,
          RoomSettingsChanged,
          buildEvent(RoomSettingsChanged, {
            source: '/confer/rooms',
            orgId,
            roomId,
            subject: `rooms/${roomId}`,
            data: {
              roomId,
              ...(live ? { conferenceNumber: live.conferenceNumber } : {}),
              // The settings are replaced whole: a room's own auto-recording switch left out is
              // said to be cleared (null), so the recording service follows the organisation again.
              settings: { ...publicSettings(clean), autoRecord: clean.autoRecord ?? null },
              by,
            },
          }),
        );
      }
      return { room, created: !before };
    });
  }
}

/** Settings as they may travel in events and answers: without the credentials they hold. */
export function publicSettings(settings: RoomSettingsValues): Record<string, unknown> {
  const { authorizationAccess: _a, authEvent: _e, ...rest } = settings;
  return rest;
}
