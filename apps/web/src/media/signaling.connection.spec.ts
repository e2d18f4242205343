import { signalingUrl } from './signaling.connection';

describe('the signaling URL of the media server a join names', () => {
  const page = 'https://meet.example.com/call/demo';

  it.each([
    ['a public host', 'https://meet.example.com', 'wss://meet.example.com/v1/media/ws'],
    ['a host with a trailing slash', 'https://meet.example.com/', 'wss://meet.example.com/v1/media/ws'],
    [
      'one media node behind the front door',
      'https://meet.example.com/v1/media/nodes/n1',
      'wss://meet.example.com/v1/media/nodes/n1/v1/media/ws',
    ],
    [
      'a node URL with a trailing slash',
      'https://meet.example.com/v1/media/nodes/n1/',
      'wss://meet.example.com/v1/media/nodes/n1/v1/media/ws',
    ],
    ['a plain-http server', 'http://127.0.0.1:8080', 'ws://127.0.0.1:8080/v1/media/ws'],
    [
      'a path on the page’s own host',
      '/v1/media/nodes/n2',
      'wss://meet.example.com/v1/media/nodes/n2/v1/media/ws',
    ],
  ])('keeps the path of %s', (_what, mediaServerUrl, expected) => {
    expect(signalingUrl(mediaServerUrl, page)).toBe(expected);
  });
});
