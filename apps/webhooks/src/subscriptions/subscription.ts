export type SubscriptionKind = 'glayr' | 'native';

/** A subscription as the intake and the delivery worker see it. */
export interface Subscription {
  id: string;
  orgId: string;
  kind: SubscriptionKind;
  /** Glayr: the conference's room. Native: null for every room of the organisation. */
  roomId: string | null;
  endpoint: string;
  /** Event types (e.g. `peer.joined`); null for all. */
  eventTypes: string[] | null;
  signingSecret: string | null;
  status: 'active' | 'disabled';
  disabledReason: string | null;
  expiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}
