import { ClaimedDelivery } from './deliveries.store';
import { FollowingRequest, LaneClaims } from './lane-claims';

const delivery = (target: string, lane: string, seq: number): ClaimedDelivery => ({
  id: `${lane}-${seq}`,
  eventId: `e${seq}`,
  target,
  kind: 'event',
  lane,
  seq: String(seq),
  attempts: 1,
  body: '{}',
  bodySha256: 'h',
  authHeader: null,
  secrets: [],
});

describe('LaneClaims', () => {
  it('claims the lanes that ask together in one statement and gives each its own deliveries', async () => {
    const statements: FollowingRequest[][] = [];
    const claims = new LaneClaims(async (requests) => {
      statements.push(requests);
      return [delivery('https://a', 'r1', 4), delivery('https://a', 'r1', 5), delivery('https://b', 'r1', 2)];
    });
    const [a, b, c] = await Promise.all([
      claims.following({ target: 'https://a', lane: 'r1', afterSeq: '3' }),
      claims.following({ target: 'https://b', lane: 'r1', afterSeq: '1' }),
      claims.following({ target: 'https://c', lane: 'r1', afterSeq: '9' }),
    ]);
    expect(statements).toHaveLength(1);
    expect(statements[0].map((r) => r.target)).toEqual(['https://a', 'https://b', 'https://c']);
    expect(a.map((d) => d.seq)).toEqual(['4', '5']);
    expect(b.map((d) => d.seq)).toEqual(['2']);
    expect(c).toEqual([]);
  });

  it('fails every lane of a failed statement, and claims again afterwards', async () => {
    let fail = true;
    const claims = new LaneClaims(async () => {
      if (fail) throw new Error('database down');
      return [];
    });
    await expect(claims.following({ target: 'https://a', lane: 'r1', afterSeq: '1' })).rejects.toThrow(
      'database down',
    );
    fail = false;
    await expect(claims.following({ target: 'https://a', lane: 'r1', afterSeq: '1' })).resolves.toEqual([]);
  });
});
