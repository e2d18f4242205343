import { Static, Type } from '@sinclair/typebox';
import type {
  SignalingMethod,
  SignalingNotification,
  SignalingNotificationOf,
  SignalingPayloadOf,
  SignalingReplyOf,
} from './signaling-messages';

/** Client to server: `{ "id": 7, "method": "produce", "data": { … } }`; ids are the client's own. */
export const SignalingRequestEnvelopeSchema = Type.Object({
  id: Type.Integer({ minimum: 0 }),
  method: Type.String({ minLength: 1, maxLength: 64 }),
  data: Type.Optional(Type.Unknown()),
});
export type SignalingRequestEnvelope = Static<typeof SignalingRequestEnvelopeSchema>;

/** A refusal carries a stable code (see docs/signaling.md) and a message for people. */
export interface SignalingError {
  code: string;
  message: string;
}

/** Server to client, answering the request with the same id (null: the message was unreadable). */
export type SignalingResponse<M extends SignalingMethod = SignalingMethod> =
  | { id: number; ok: true; data: SignalingReplyOf<M> }
  | { id: number | null; ok: false; error: SignalingError };

/** Server to client, unasked: `{ "notification": "peerJoined", "data": { … } }`. */
export interface SignalingNotificationMessage<N extends SignalingNotification = SignalingNotification> {
  notification: N;
  data: SignalingNotificationOf<N>;
}

/** A typed request as a client builds it. */
export interface SignalingRequest<M extends SignalingMethod = SignalingMethod> {
  id: number;
  method: M;
  data: SignalingPayloadOf<M>;
}
