import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { RoomSettingsValues } from './room-settings';

@Entity({ name: 'rooms' })
export class RoomEntity {
  @PrimaryColumn('text', { name: 'org_id' })
  orgId: string;

  @PrimaryColumn('text', { name: 'room_id' })
  roomId: string;

  @Column('jsonb')
  settings: RoomSettingsValues;

  /** Created ahead through the API, rather than by a first join. */
  @Column('boolean')
  prepared: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
