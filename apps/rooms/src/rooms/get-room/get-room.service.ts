import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RoomEntity } from '../room.entity';
import { RoomErrors } from '../../rooms.errors';
import { publicSettings } from '../prepare-room/prepare-room.service';
import { MediaServers } from '../../media-servers/media-servers';

export interface RoomView {
  roomId: string;
  orgId: string;
  prepared: boolean;
  settings: Record<string, unknown>;
  mediaServer: string;
  live: { conferenceNumber: string; startedAt: string; peers: number } | null;
  links: { call: string; webinar: string };
}

@Injectable()
export class GetRoom {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mediaServers: MediaServers,
  ) {}

  async one(orgId: string, roomId: string): Promise<RoomView> {
    const room = await this.dataSource.getRepository(RoomEntity).findOneBy({ orgId, roomId });
    if (!room) throw RoomErrors.roomNotFound({ roomId }, { message: `Room ${roomId} does not exist` });
    return (await this.views([room]))[0];
  }

  async page(orgId: string, page: number, count: number): Promise<{ rooms: RoomView[]; total: number }> {
    const [rooms, total] = await this.dataSource.getRepository(RoomEntity).findAndCount({
      where: { orgId },
      order: { createdAt: 'DESC', roomId: 'ASC' },
      skip: page * count,
      take: count,
    });
    return { rooms: await this.views(rooms), total };
  }

  private async views(rooms: RoomEntity[]): Promise<RoomView[]> {
    if (rooms.length === 0) return [];
    const live = (await this.dataSource.query(
      `SELECT s.org_id, s.room_id, s.conference_number, s.started_at,
              (SELECT count(*)::int FROM peer_connections p WHERE p.session_id = s.id AND p.left_at IS NULL) AS peers
         FROM room_sessions s
        WHERE s.ended_at IS NULL AND s.org_id = $1 AND s.room_id = ANY($2)`,
      [rooms[0].orgId, rooms.map((r) => r.roomId)],
    )) as Array<{ room_id: string; conference_number: string; started_at: Date; peers: number }>;
    const byRoom = new Map(live.map((l) => [l.room_id, l]));
    return rooms.map((room) => {
      const session = byRoom.get(room.roomId);
      const query = `roomId=${encodeURIComponent(room.roomId)}&orgId=${encodeURIComponent(room.orgId)}`;
      return {
        roomId: room.roomId,
        orgId: room.orgId,
        prepared: room.prepared,
        settings: publicSettings(room.settings),
        mediaServer: this.mediaServers.forRoom(room.roomId).id,
        live: session
          ? {
              conferenceNumber: session.conference_number,
              startedAt: new Date(session.started_at).toISOString(),
              peers: session.peers,
            }
          : null,
        links: { call: `/call/?${query}`, webinar: `/webinar/?${query}` },
      };
    });
  }
}
