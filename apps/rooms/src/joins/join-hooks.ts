import type { EntityManager } from 'typeorm';
import type { ParticipantRole, VerifiedParticipant } from '@confer/contracts';
import type { RoomSessionEntity } from '../rooms/room-session.entity';
import type { EffectiveAttributes } from './effective-attributes';
import type { JoinRequestDto } from './join.request.dto';
import type { Permissions } from './roles';

/** Everything decided about a join so far, as hooks see it. */
export interface JoinContext {
  orgId: string;
  roomId: string;
  peerId: string;
  face: 'call' | 'webinar';
  /** Hooks may change the role and permissions (a moderator's earlier choice); the join admits with them. */
  role: ParticipantRole;
  permissions: Permissions;
  attributes: EffectiveAttributes;
  participant?: VerifiedParticipant;
  request: JoinRequestDto;
  /** The room's live session; null before admission when the room is empty (nobody has started it). */
  session: RoomSessionEntity | null;
  /** A moderator's waiting-room choice for the live session (null: nobody chose), read with the join's state. */
  waitingRoom: boolean | null;
}

/** After admission the room is live. */
export type AdmittedJoinContext = Omit<JoinContext, 'session'> & {
  session: RoomSessionEntity;
  connectionId: string;
};

/** A join held back (e.g. in the waiting room): answered 202 with this body, no connection made. */
export interface JoinDeferral {
  status: 'waiting';
  [detail: string]: unknown;
}

/**
 * A capability that takes part in every join without DecideJoin knowing it: the
 * waiting room, Coviu subscriptions, session entries. Hooks run inside the join's
 * transaction, after the room lock; they refuse by throwing a catalogued error. Most
 * joins need none of them and take the direct path (see passesDirectly).
 */
export interface JoinHook {
  /**
   * Whether this join can skip the hook's transactional steps, judged on the state read
   * ahead of the room lock: such joins are admitted in one statement (what it writes for
   * every join: the connection, its session entry, their events), which refuses them if
   * that state changed meanwhile. A hook without it sends every join through the
   * transaction.
   */
  passesDirectly?(context: JoinContext): boolean;
  /**
   * Before the connection is made, and before an empty room is started: a joiner held
   * back (return a deferral) starts nothing.
   */
  beforeAdmit?(tx: EntityManager, context: JoinContext): Promise<JoinDeferral | void>;
  /** After the connection is made and announced, before commit. */
  afterAdmit?(tx: EntityManager, context: AdmittedJoinContext): Promise<void>;
}

/** Injection token of the list of hooks, in the order they run. */
export const JOIN_HOOKS = Symbol('JOIN_HOOKS');
