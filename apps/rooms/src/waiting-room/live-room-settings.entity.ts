import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What a moderator set for one life of a room, over the attributes of tokens, links
 * and the room's prepared settings: the waiting room turned on or off.
 */
@Entity({ name: 'live_room_settings' })
export class LiveRoomSettingsEntity {
  @PrimaryColumn('uuid', { name: 'session_id' })
  sessionId: string;

  @Column('boolean', { name: 'waiting_room' })
  waitingRoom: boolean;

  @Column('text', { name: 'updated_by' })
  updatedBy: string;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
