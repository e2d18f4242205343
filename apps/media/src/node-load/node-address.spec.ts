import { loadMediaConfig } from '../config/media.config';
import { nodeOriginOf, nodeUrlOf } from './node-address';

describe('a media node’s addresses in its load reports', () => {
  const base = { PUBLIC_URL: 'https://meet.example.com/', MEDIA_NODE_ROUTED: false };

  it('is the public URL when one node serves the public host', () => {
    expect(nodeUrlOf(base, 'serv0-a')).toBe('https://meet.example.com');
  });

  it('is the front door’s route to this node when the front door routes by node', () => {
    expect(nodeUrlOf({ ...base, MEDIA_NODE_ROUTED: true }, 'confer-media-7d9f-x2k4q')).toBe(
      'https://meet.example.com/v1/media/nodes/confer-media-7d9f-x2k4q',
    );
  });

  it('is what MEDIA_NODE_URL says when it is set', () => {
    expect(nodeUrlOf({ ...base, MEDIA_NODE_URL: 'https://media-a.example.com/' }, 'a')).toBe(
      'https://media-a.example.com',
    );
  });

  it('is reached at the configured origin, else on loopback, else (port not known yet) nowhere', () => {
    expect(nodeOriginOf({ MEDIA_NODE_ORIGIN: 'http://10.0.3.7:8085', MEDIA_PORT: 8085 })).toBe(
      'http://10.0.3.7:8085',
    );
    expect(nodeOriginOf({ MEDIA_PORT: 8085 })).toBe('http://127.0.0.1:8085');
    expect(nodeOriginOf({ MEDIA_PORT: 0 })).toBeUndefined();
  });

  it.each([
    ['routing without reports', { MEDIA_NODE_ROUTED: 'true' }, /MEDIA_NODE_REPORT_SECONDS/],
    [
      'routing and a fixed URL at once',
      { MEDIA_NODE_ROUTED: 'true', MEDIA_NODE_REPORT_SECONDS: '2', MEDIA_NODE_URL: 'https://m.example' },
      /set one/,
    ],
    ['an origin with a path', { MEDIA_NODE_ORIGIN: 'http://10.0.3.7:8085/media' }, /MEDIA_NODE_ORIGIN/],
  ])('refuses %s at start-up', (_what, env, message) => {
    expect(() => loadMediaConfig(env)).toThrow(message);
  });
});
