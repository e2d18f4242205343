import { CommandRejection, NotHeldHere } from '@confer/bus';
import type { OpenRecorderSession, ReplyOf, RequestOf } from '@confer/contracts';
import type { Room } from '../rooms/room';
import { RoomRegistry } from '../rooms/room-registry';
import { RecorderSession, RecorderSessionOptions, RosterPublisher } from './recorder-session';

/** A subject one may publish to: dot-separated tokens, no wildcards, no blanks. */
const PUBLISHABLE_SUBJECT = /^[^.*>\s]+(\.[^.*>\s]+)*$/;

/**
 * The recorder sessions of this process. Every media process hears every recorder
 * command: a room this process does not carry, or a session it does not hold, is
 * `NotHeldHere`, and the process that does answers.
 *
 * A room is shown as recorded while at least one session follows it: its peers are told
 * `recordingChanged` when the first opens and when the last ends, and a joiner is told in
 * its join reply.
 */
export class RecorderSessions {
  readonly #sessions = new Map<string, RecorderSession>();
  readonly #byRoom = new Map<Room, Set<RecorderSession>>();

  constructor(
    private readonly rooms: Pick<RoomRegistry, 'find'>,
    private readonly publish: RosterPublisher,
    private readonly options: RecorderSessionOptions,
  ) {}

  get size(): number {
    return this.#sessions.size;
  }

  /** Consumers of every session, for this node's load reports. */
  get consumers(): number {
    let n = 0;
    for (const session of this.#sessions.values()) n += session.consumers.length;
    return n;
  }

  open({
    orgId,
    roomId,
    recordingId,
    feedSubject,
  }: RequestOf<typeof OpenRecorderSession>): ReplyOf<typeof OpenRecorderSession> {
    const key = RoomRegistry.keyOf(orgId, roomId);
    const room = this.rooms.find(key);
    if (!room) throw new NotHeldHere(`room ${key}`);
    // Checked by the holder only, so the recorder hears of it once.
    if (!PUBLISHABLE_SUBJECT.test(feedSubject))
      throw new CommandRejection('invalid_feed_subject', `Rosters cannot be published to ${feedSubject}`);
    const session = new RecorderSession(room, recordingId, feedSubject, this.publish, this.options);
    this.#sessions.set(session.id, session);
    const following = this.#byRoom.get(room) ?? new Set();
    this.#byRoom.set(room, following);
    following.add(session);
    if (following.size === 1) this.#showRecording(room, true);
    session.once('close', () => {
      this.#sessions.delete(session.id);
      following.delete(session);
      if (following.size > 0) return;
      this.#byRoom.delete(room);
      if (!room.closed) this.#showRecording(room, false);
    });
    return { sessionId: session.id, roster: session.roster() };
  }

  /** The session of that id, if this process holds it. */
  held(sessionId: string): RecorderSession {
    const session = this.#sessions.get(sessionId);
    if (!session) throw new NotHeldHere(`recorder session ${sessionId}`);
    return session;
  }

  closeAll(): void {
    for (const session of [...this.#sessions.values()]) session.close('shutdown');
  }

  #showRecording(room: Room, recording: boolean): void {
    room.recording = recording;
    room.broadcast('recordingChanged', { recording });
  }
}
