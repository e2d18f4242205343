import { faceOf, joinBody, parseRoomLink, RoomLinkError } from './url-attributes';

const base = 'http://localhost:8080';

describe('room link attributes', () => {
  it('reads the documented attributes under their names, typed', () => {
    const link = parseRoomLink(
      `${base}/webinar/?roomId=serv2testroom&displayName=John%20Snow&peerId=802380f4-dd70&itisparticipant=true` +
        '&handEnabled=true&maxBroadcasters=10&maxWatchers=2000&tokenLifetime=60000&lang=fr&accessToken=abc' +
        '&accessUrl=https%3A%2F%2Fexample.com%2Fcheck&video=https%3A%2F%2Fexample.com%2Fplayer',
    );
    expect(link.face).toBe('webinar');
    expect(link.roomId).toBe('serv2testroom');
    expect(link.join).toEqual({
      displayName: 'John Snow',
      peerId: '802380f4-dd70',
      itisparticipant: true,
      handEnabled: true,
      maxBroadcasters: 10,
      maxWatchers: 2000,
      tokenLifetime: 60000,
      lang: 'fr',
      accessToken: 'abc',
      accessUrl: 'https://example.com/check',
      video: 'https://example.com/player',
    });
    expect(link.page).toMatchObject({
      lang: 'fr',
      handEnabled: true,
      displayNameFixed: true,
      video: 'https://example.com/player',
      nameScreenDisabled: false,
    });
    expect(link.problems).toEqual([]);
  });

  it('reads page flags, including a bare flag as true and the misspelt disbleChat', () => {
    const link = parseRoomLink(
      `${base}/call/?roomId=r1&nameScreenDisabled=true&startWithFS&controlsDisabled=1&hideIndicators=false` +
        '&minimizeTiles=true&sortPeers=true&autoplayWithoutAudioTrack=true&disbleChat=true',
    );
    expect(link.face).toBe('call');
    expect(link.page).toEqual({
      disableChat: true,
      handEnabled: false,
      hideIndicators: false,
      controlsDisabled: true,
      nameScreenDisabled: true,
      startWithFS: true,
      minimizeTiles: true,
      sortPeers: true,
      autoplayWithoutAudioTrack: true,
      displayNameFixed: false,
    });
    expect(link.join.disableChat).toBe(true);
  });

  it('names values it cannot read instead of guessing, and does not obey JWT-only attributes', () => {
    const link = parseRoomLink(
      `${base}/call/?roomId=r1&maxWatchers=lots&startWithFS=maybe&lang=english&role=moderator&waitingRoom=true`,
    );
    expect(link.problems.sort()).toEqual(['lang', 'maxWatchers', 'startWithFS']);
    expect(link.join).toEqual({});
    expect(link.ignoredJwtOnly).toEqual(['role', 'waitingRoom']);
    expect(joinBody(link, {})).not.toHaveProperty('role');
  });

  it('requires a valid roomId', () => {
    expect(() => parseRoomLink(`${base}/call/`)).toThrow(RoomLinkError);
    expect(() => parseRoomLink(`${base}/call/?roomId=a%20b`)).toThrow('roomId');
  });

  it('takes the face from the path', () => {
    expect(faceOf('/webinar/')).toBe('webinar');
    expect(faceOf('/webinar')).toBe('webinar');
    expect(faceOf('/call/')).toBe('call');
    expect(faceOf('/webinars-archive/')).toBe('call');
  });

  it('builds the join body with the face and what the person chose on the welcome screen', () => {
    const link = parseRoomLink(`${base}/webinar/?roomId=r1&token=t.k.n&itisparticipant=false`);
    expect(joinBody(link, { displayName: 'Ana', waitingTicket: 'wt_x' })).toEqual({
      token: 't.k.n',
      itisparticipant: false,
      face: 'webinar',
      displayName: 'Ana',
      waitingTicket: 'wt_x',
    });
  });
});
