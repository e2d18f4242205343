import { effectiveAttributes } from './effective-attributes';
import type { VerifiedParticipant } from '@confer/contracts';

const participant = (attributes: Record<string, unknown>): VerifiedParticipant => ({
  form: 'gcore',
  orgId: 'org_1',
  roomId: 'r1',
  identity: 'p1',
  role: 'moderator',
  attributes,
  keyId: 'ak_1',
});

describe('effectiveAttributes', () => {
  it('lets the token win over the room settings, and the settings over the link', () => {
    const attrs = effectiveAttributes(
      { maxWatchers: 10, handEnabled: false, lang: 'fr' },
      { maxWatchers: 50, handEnabled: true },
      participant({ handEnabled: false, canRecord: true }),
    );
    expect(attrs).toMatchObject({ maxWatchers: 50, handEnabled: false, canRecord: true, lang: 'fr' });
  });

  it('keeps URL attributes where nothing else speaks', () => {
    expect(effectiveAttributes({ accessUrl: 'https://x/check', accessToken: 't' }, {})).toEqual({
      accessUrl: 'https://x/check',
      accessToken: 't',
    });
  });
});
