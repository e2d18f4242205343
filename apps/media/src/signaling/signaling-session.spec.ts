import { EventEmitter } from 'events';
import type { WebSocket } from 'ws';
import { FakeJoinGrantVerifier } from '../grants/join-grant.fake';
import { RoomRegistry } from '../rooms/room-registry';
import { FakeRoom, FakeWorkerChooser } from '../rooms/room-registry.fake';
import { JoinRoom } from './requests/join-room';
import type { JoinedHandlers } from './requests/joined-handlers';
import { CloseCodes, SignalingSession } from './signaling-session';

/** The slice of a ws socket the session uses, recording what it sends. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  readonly sent: unknown[] = [];
  closedWith?: number;

  send(text: string): void {
    this.sent.push(JSON.parse(text));
  }

  close(code: number): void {
    this.closedWith = code;
    this.readyState = 3;
    this.emit('close', code, Buffer.from(''));
  }

  /** Delivers a client message and waits until the session has answered it. */
  async receive(message: unknown): Promise<unknown> {
    const before = this.sent.length;
    this.emit('message', Buffer.from(typeof message === 'string' ? message : JSON.stringify(message)), false);
    for (let i = 0; i < 50 && this.sent.length === before; i++) await new Promise((r) => setImmediate(r));
    return this.sent[this.sent.length - 1];
  }
}

describe('SignalingSession before join', () => {
  let socket: FakeSocket;
  let roomsMade: number;

  beforeEach(() => {
    socket = new FakeSocket();
    roomsMade = 0;
    const grants = new FakeJoinGrantVerifier();
    const rooms = new RoomRegistry(new FakeWorkerChooser(), async (key, worker) => {
      roomsMade++;
      return new FakeRoom(key, worker);
    });
    // No request may reach a handler before join: any that does fails the test.
    const handlers = new Proxy({} as JoinedHandlers, {
      get: () => () => Promise.reject(new Error('a handler ran before join')),
    });
    new SignalingSession(socket as unknown as WebSocket, new JoinRoom(grants, rooms as never), handlers, {
      warn: () => undefined,
      error: () => undefined,
    });
  });

  it('answers an unreadable message with id null, and keeps the connection', async () => {
    expect(await socket.receive('{not json')).toEqual({
      id: null,
      ok: false,
      error: { code: 'invalid_message', message: expect.any(String) },
    });
    expect(await socket.receive({ method: 'join' })).toMatchObject({
      id: null,
      error: { code: 'invalid_message' },
    });
    expect(socket.closedWith).toBeUndefined();
  });

  it('names an unknown method, and a payload that breaks its schema', async () => {
    expect(await socket.receive({ id: 1, method: 'teleport' })).toMatchObject({
      id: 1,
      error: { code: 'unknown_method' },
    });
    expect(await socket.receive({ id: 2, method: 'join', data: { grant: '' } })).toMatchObject({
      id: 2,
      error: { code: 'invalid_message', message: expect.stringContaining('join request') },
    });
  });

  it('refuses any other request before join, and closes', async () => {
    expect(
      await socket.receive({ id: 3, method: 'createTransport', data: { direction: 'send' } }),
    ).toMatchObject({
      id: 3,
      error: { code: 'not_joined' },
    });
    expect(socket.closedWith).toBe(CloseCodes.notJoined);
  });

  it('refuses a grant it cannot verify, closes, and makes no room', async () => {
    expect(await socket.receive({ id: 4, method: 'join', data: { grant: 'forged' } })).toMatchObject({
      id: 4,
      error: { code: 'invalid_grant' },
    });
    expect(socket.closedWith).toBe(CloseCodes.invalidGrant);
    expect(roomsMade).toBe(0);
  });
});

describe('SignalingSession while joining', () => {
  it('sends what happened between the peer’s seating and its join reply after the reply', async () => {
    const socket = new FakeSocket();
    const peer = Object.assign(new EventEmitter(), { isAttachedTo: () => true, detach: () => undefined });
    const joinRoom = {
      async join(_data: unknown, notify: (n: string, d: unknown) => void) {
        // Another peer seated in the same turn, after this one's reply was made.
        notify('peerJoined', { peerId: 'ana', role: 'participant' });
        return { context: { peer, room: {} }, reply: { protocolVersion: 1, peerId: 'ben' } };
      },
    };
    new SignalingSession(socket as unknown as WebSocket, joinRoom as never, {} as JoinedHandlers, {
      warn: () => undefined,
      error: () => undefined,
    });
    await socket.receive({ id: 1, method: 'join', data: { grant: 'a.b.c' } });
    await new Promise((r) => setImmediate(r));
    expect(socket.sent).toEqual([
      { id: 1, ok: true, data: { protocolVersion: 1, peerId: 'ben' } },
      { notification: 'peerJoined', data: { peerId: 'ana', role: 'participant' } },
    ]);
  });
});
