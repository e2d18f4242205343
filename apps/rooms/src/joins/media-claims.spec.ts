import { mediaClaimsOf } from './decide-join.service';

describe('mediaClaimsOf (the optional grant claims the media service reads)', () => {
  it('puts in the display name, interpreter language and broadcaster limit when known', () => {
    expect(mediaClaimsOf('Dr Who', { intLang: 'pt-BR', maxBroadcasters: 4 })).toEqual({
      displayName: 'Dr Who',
      intLang: 'pt-BR',
      maxBroadcasters: 4,
    });
  });

  it('leaves out what is unknown', () => {
    expect(mediaClaimsOf(null, {})).toEqual({});
  });

  it('leaves out values the media service would refuse the whole grant for', () => {
    expect(mediaClaimsOf('x'.repeat(257), { intLang: 'German', maxBroadcasters: 2.5 })).toEqual({});
    expect(mediaClaimsOf(null, { intLang: 42, maxBroadcasters: -1 })).toEqual({});
  });
});
