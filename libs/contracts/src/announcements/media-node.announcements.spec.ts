import { parseWith } from '../schema';
import { announcementSubject, InvalidSubjectToken } from '../subjects';
import { AnnouncementOf } from './define-announcement';
import { MediaNodeLoad } from './media-node.announcements';

const report: AnnouncementOf<typeof MediaNodeLoad> = {
  nodeId: 'media-7f3a',
  serverGroup: 'serv0',
  url: 'https://media-7f3a.example.com',
  state: 'active',
  reportedAt: '2026-11-24T20:00:00.000Z',
  intervalMs: 2000,
  workers: 8,
  rooms: 12,
  peers: 140,
  transports: 280,
  producers: 150,
  consumers: 1900,
  cpu: 0.41,
  maxConsumers: 4000,
};

describe('media node load announcements', () => {
  it('are published on one versioned system subject', () => {
    expect(MediaNodeLoad.subject).toBe('confer.sys.media.node-load.v1');
    expect(() => announcementSubject('media', 'node.load', 1)).toThrow(InvalidSubjectToken);
  });

  it('accept a full report and keep fields a newer node adds', () => {
    expect(parseWith(MediaNodeLoad.schema, { ...report, region: 'eu-west' }, 'report')).toMatchObject({
      ...report,
      region: 'eu-west',
    });
  });

  it('accept a node that says where the front door reaches it, and that it is stopping', () => {
    const routed = { ...report, origin: 'http://10.0.3.7:8085', stopping: true };
    expect(parseWith(MediaNodeLoad.schema, routed, 'report')).toMatchObject(routed);
  });

  it.each([
    ['a CPU share over 1', { cpu: 1.5 }],
    ['an origin with a path (the front door adds the path)', { origin: 'http://10.0.3.7:8085/media' }],
    ['an origin that is not http', { origin: 'file:///etc' }],
    ['an unknown state', { state: 'sleeping' }],
    ['a server group the rooms service does not know the shape of', { serverGroup: 'eu1' }],
    ['a negative count', { consumers: -1 }],
  ])('refuse %s', (_what, change) => {
    expect(() => parseWith(MediaNodeLoad.schema, { ...report, ...change }, 'report')).toThrow();
  });
});
