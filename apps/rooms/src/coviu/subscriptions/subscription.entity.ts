import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A Coviu host subscription: the right of one of the integrator's users (its `ref`) to own sessions. */
@Entity({ name: 'coviu_subscriptions' })
export class SubscriptionEntity {
  @PrimaryColumn('text', { name: 'subscription_id' })
  subscriptionId: string;

  @Column('text', { name: 'org_id' })
  orgId: string;

  /** The integrator's own id of the user, e.g. its user id; owners' session links carry it. */
  @Column('text')
  ref: string;

  @Column('text')
  email: string;

  @Column('text')
  name: string;

  @Column('timestamptz')
  started: Date;

  @Column('timestamptz', { nullable: true })
  ended: Date | null;

  @Column('boolean')
  active: boolean;
}
