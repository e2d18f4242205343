import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'organisations' })
export class OrganisationEntity {
  @PrimaryColumn('text')
  id: string;

  @Column('text')
  name: string;

  /** Requests per second per credential; null means the service default. */
  @Column('double precision', { name: 'rate_limit_per_second', nullable: true })
  rateLimitPerSecond: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
