import { EventEmitter } from 'events';
import { NotHeldHere } from '@confer/bus';
import type { RecorderRoster, SignalingNotification } from '@confer/contracts';
import type { Room } from '../rooms/room';
import { RecorderSessions } from './recorder-sessions';

/** A room as a recorder reads it: peers with producers, what they are told, its close. */
class FakeRoom extends EventEmitter {
  closed = false;
  recording = false;
  activeSpeaker?: { peerId: string; producerId: string };
  peers: Array<{
    id: string;
    role: string;
    displayName?: string;
    closed: boolean;
    producers: Array<{
      id: string;
      kind: 'audio' | 'video';
      paused: boolean;
      closed: boolean;
      appData: { source: string; language?: string };
    }>;
  }> = [];
  readonly told: Array<{ notification: SignalingNotification; data: unknown }> = [];

  broadcast(notification: SignalingNotification, data: unknown): void {
    this.told.push({ notification, data });
    this.emit('told', notification);
  }

  close(): void {
    this.closed = true;
    this.emit('close');
  }
}

const producer = (id: string, kind: 'audio' | 'video', source: string, language?: string) => ({
  id,
  kind,
  paused: false,
  closed: false,
  appData: { source, ...(language ? { language } : {}) },
});

describe('RecorderSessions', () => {
  let room: FakeRoom;
  let published: Array<{ subject: string; roster: RecorderRoster }>;
  let sessions: RecorderSessions;
  const open = (roomId = 'r1') =>
    sessions.open({ orgId: 'org', roomId, recordingId: 'rec', feedSubject: 'feed.1' });

  beforeEach(() => {
    jest.useFakeTimers();
    room = new FakeRoom();
    room.peers = [
      {
        id: 'ana',
        role: 'moderator',
        displayName: 'Ana',
        closed: false,
        producers: [producer('p-cam', 'video', 'camera'), producer('p-mic', 'audio', 'microphone')],
      },
      {
        id: 'interp',
        role: 'interpreter',
        closed: false,
        producers: [producer('p-de', 'audio', 'microphone', 'de')],
      },
    ];
    published = [];
    sessions = new RecorderSessions(
      { find: (key) => (key === 'org/r1' ? (room as unknown as Room) : undefined) },
      (subject, roster) => published.push({ subject, roster }),
      { listenIp: '127.0.0.1', leaseMs: 10_000, heartbeatMs: 2000 },
    );
  });
  afterEach(() => {
    sessions.closeAll();
    jest.useRealTimers();
  });

  it('is not held here for a room this process does not carry, nor for an unknown session', () => {
    expect(() => open('elsewhere')).toThrow(NotHeldHere);
    expect(() => sessions.held('rs_nope')).toThrow(NotHeldHere);
  });

  it('refuses a feed subject rosters cannot be published to', () => {
    expect(() =>
      sessions.open({ orgId: 'org', roomId: 'r1', recordingId: 'rec', feedSubject: 'feed.>' }),
    ).toThrow(expect.objectContaining({ code: 'invalid_feed_subject' }));
    expect(sessions.size).toBe(0);
  });

  it("answers the room's roster, without interpreters' language channels", () => {
    const { sessionId, roster } = open();
    expect(sessions.held(sessionId).id).toBe(sessionId);
    expect(roster).toEqual({
      sessionId,
      seq: 0,
      open: true,
      peers: [
        {
          peerId: 'ana',
          displayName: 'Ana',
          role: 'moderator',
          producers: [
            { producerId: 'p-cam', kind: 'video', source: 'camera', paused: false },
            { producerId: 'p-mic', kind: 'audio', source: 'microphone', paused: false },
          ],
        },
        { peerId: 'interp', role: 'interpreter', producers: [] },
      ],
    });
  });

  it('shows the room recorded from the first session to the end of the last', () => {
    const first = open();
    expect(room.recording).toBe(true);
    const second = open();
    sessions.held(first.sessionId).close('closed');
    expect(room.recording).toBe(true);
    sessions.held(second.sessionId).close('closed');
    expect(room.recording).toBe(false);
    expect(room.told.filter((t) => t.notification === 'recordingChanged').map((t) => t.data)).toEqual([
      { recording: true },
      { recording: false },
    ]);
  });

  it('sends one roster for the changes of one turn, none for what a recorder does not draw', () => {
    open();
    room.peers[0].producers[0].closed = true;
    room.broadcast('producerClosed', {});
    room.broadcast('producerClosed', {});
    room.broadcast('chatMessage', {});
    expect(published).toEqual([]);
    jest.advanceTimersByTime(1); // the turn ends
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ subject: 'feed.1', roster: { seq: 1 } });
    expect(published[0].roster.peers[0].producers.map((p) => p.producerId)).toEqual(['p-mic']);
    room.broadcast('audioLevels', {});
    jest.advanceTimersByTime(10);
    expect(published).toHaveLength(1);
  });

  it('names the active speaker while that peer is there', () => {
    room.activeSpeaker = { peerId: 'ana', producerId: 'p-mic' };
    expect(open().roster.activeSpeakerPeerId).toBe('ana');
  });

  it('sends the roster every heartbeat, seq growing, and lets a session lapse without renewal', () => {
    const { sessionId } = open();
    jest.advanceTimersByTime(6000);
    expect(published.map((p) => p.roster.seq)).toEqual([1, 2, 3]);
    sessions.held(sessionId).renew();
    jest.advanceTimersByTime(9000);
    expect(sessions.size).toBe(1);
    jest.advanceTimersByTime(1000);
    expect(() => sessions.held(sessionId)).toThrow(NotHeldHere);
    expect(room.recording).toBe(false);
    const sent = published.length;
    jest.advanceTimersByTime(5000);
    expect(published).toHaveLength(sent);
  });

  it('says the room closed in a last roster and ends the session', () => {
    const { sessionId } = open();
    room.broadcast('peerLeft', {});
    room.close();
    jest.advanceTimersByTime(1);
    expect(published.map((p) => p.roster)).toEqual([{ sessionId, seq: 1, open: false, peers: [] }]);
    expect(sessions.size).toBe(0);
    // A closed room is not told it stopped being recorded: its peers are gone.
    expect(room.told.filter((t) => t.notification === 'recordingChanged')).toHaveLength(1);
  });
});
