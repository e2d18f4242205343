import type { SignalingMethod, SignalingPayloadOf, SignalingReplyOf } from '@confer/contracts';
import type { Peer } from '../../peers/peer';
import type { Room } from '../../rooms/room';

/** A joined connection: the peer it carries and the room it is in. */
export interface JoinedContext {
  peer: Peer;
  room: Room;
}

/** Every method but those that open a session (`join`, `resume`). */
export type JoinedMethod = Exclude<SignalingMethod, 'join' | 'resume'>;

/** One handler per request a joined peer may send; the message map types both ends. */
export type JoinedHandlers = {
  [M in JoinedMethod]: (context: JoinedContext, data: SignalingPayloadOf<M>) => Promise<SignalingReplyOf<M>>;
};

/** mediasoup's objects go on the wire as plain JSON objects. */
export const asJson = (value: object): Record<string, unknown> => value as Record<string, unknown>;
