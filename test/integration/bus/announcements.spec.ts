import { AnnouncementOf, MediaNodeLoad } from '@confer/contracts';
import { TestingModule } from '@nestjs/testing';
import { NatsConnection } from 'nats';
import { Announcements, NATS_CONNECTION } from '@confer/bus';
import { observerConnection, sleep, startBus, waitFor } from './bus-test-kit';

const report = (nodeId: string): AnnouncementOf<typeof MediaNodeLoad> => ({
  nodeId,
  serverGroup: 'serv0',
  url: `http://${nodeId}.test`,
  state: 'active',
  reportedAt: new Date().toISOString(),
  intervalMs: 1000,
  workers: 2,
  rooms: 1,
  peers: 2,
  transports: 4,
  producers: 2,
  consumers: 2,
  cpu: 0.05,
  maxConsumers: 1000,
});

describe('announcements over NATS', () => {
  let announcer: TestingModule;
  let listener: TestingModule;
  let raw: NatsConnection;

  beforeAll(async () => {
    announcer = await startBus({ service: 'announcer' });
    listener = await startBus({ service: 'listener' });
    raw = await observerConnection();
  });
  afterAll(async () => {
    await raw.close();
    await announcer.close();
    await listener.close();
  });

  it('reach every listener, checked against the contract', async () => {
    const heard: string[] = [];
    const alsoHeard: string[] = [];
    const a = listener.get(Announcements).listen(MediaNodeLoad, (r) => heard.push(r.nodeId));
    const b = announcer.get(Announcements).listen(MediaNodeLoad, (r) => alsoHeard.push(r.nodeId));
    await listener.get<NatsConnection>(NATS_CONNECTION).flush();
    announcer.get(Announcements).publish(MediaNodeLoad, report('node-1'));
    await waitFor('both listeners', () => heard.length === 1 && alsoHeard.length === 1);
    expect(heard).toEqual(['node-1']);
    a.stop();
    b.stop();
  });

  it('refuse to publish what their own contract refuses', () => {
    expect(() =>
      announcer.get(Announcements).publish(MediaNodeLoad, { ...report('node-2'), cpu: 7 }),
    ).toThrow();
  });

  it('drop a malformed announcement and go on listening', async () => {
    const heard: string[] = [];
    const handle = listener.get(Announcements).listen(MediaNodeLoad, (r) => heard.push(r.nodeId));
    await listener.get<NatsConnection>(NATS_CONNECTION).flush();
    raw.publish(MediaNodeLoad.subject, new TextEncoder().encode('{not json'));
    raw.publish(
      MediaNodeLoad.subject,
      new TextEncoder().encode(JSON.stringify({ ...report('bad'), state: 'asleep' })),
    );
    raw.publish(MediaNodeLoad.subject, new TextEncoder().encode(JSON.stringify(report('node-3'))));
    await waitFor('the valid announcement', () => heard.length >= 1);
    await sleep(100);
    expect(heard).toEqual(['node-3']);
    handle.stop();
  });

  it('keep listening when a handler throws', async () => {
    let calls = 0;
    const handle = listener.get(Announcements).listen(MediaNodeLoad, () => {
      calls += 1;
      throw new Error('handler bug');
    });
    await listener.get<NatsConnection>(NATS_CONNECTION).flush();
    announcer.get(Announcements).publish(MediaNodeLoad, report('node-4'));
    announcer.get(Announcements).publish(MediaNodeLoad, report('node-5'));
    await waitFor('both announcements', () => calls === 2);
    handle.stop();
  });
});
