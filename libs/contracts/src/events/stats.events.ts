import { Type } from '@sinclair/typebox';
import { defineEvent } from './define-event';

const Time = Type.String({ format: 'date-time' });

export const RoomSummarised = defineEvent({
  type: 'room.summarised',
  version: 1,
  summary:
    'The stats service summed up one life of a room after it ended: its participants and their time, in 30-second steps.',
  data: Type.Object({
    roomId: Type.String(),
    conferenceNumber: Type.String({ pattern: '^[0-9]{8}$' }),
    startedAt: Time,
    endedAt: Time,
    /** Distinct peer ids with at least one session in this life of the room. */
    participants: Type.Integer({ minimum: 0 }),
    /** Sessions (connections); a peer who left and came back has two. */
    sessions: Type.Integer({ minimum: 0 }),
    /** Sum of the sessions' durations, each a whole number of 30-second buckets. */
    participantSeconds: Type.Integer({ minimum: 0 }),
    /** Most sessions present in one 30-second bucket. */
    peakPeers: Type.Integer({ minimum: 0 }),
  }),
});
