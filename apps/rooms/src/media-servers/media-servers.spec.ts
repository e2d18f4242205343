import { MediaServers } from './media-servers';
import { RoomsConfig } from '../config/rooms.config';

const servers = (json: string) => new MediaServers({ MEDIA_SERVERS: json } as RoomsConfig);

describe('MediaServers', () => {
  const list = servers(
    JSON.stringify([
      { id: 'serv0', region: 'Luxembourg', url: 'https://m0' },
      { id: 'serv1', region: 'Australia', url: 'https://m1' },
      { id: 'serv12', region: 'USA', url: 'https://m12' },
    ]),
  );

  it('picks the server a room id names by its servN prefix, the longest match first', () => {
    expect(list.forRoom('serv1qweqwe').id).toBe('serv1');
    expect(list.forRoom('serv12room').id).toBe('serv12');
  });

  it('puts any other room on the first server, the default', () => {
    expect(list.forRoom('BMW').id).toBe('serv0');
    expect(list.forRoom('serv7unknown').id).toBe('serv0');
    expect(list.all.filter((s) => s.default).map((s) => s.id)).toEqual(['serv0']);
  });

  it('refuses a malformed configuration at start-up', () => {
    expect(() => servers('not json')).toThrow('MEDIA_SERVERS is not valid JSON');
    expect(() => servers('[]')).toThrow('MEDIA_SERVERS');
    expect(() => servers('[{"id":"eu","region":"x","url":"u"}]')).toThrow('MEDIA_SERVERS');
  });
});
