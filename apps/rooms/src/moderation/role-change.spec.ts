import { roleChangeLimit } from './role-change';

describe('role change limits', () => {
  it('counts a viewer made speaker against maxBroadcasters', () => {
    expect(
      roleChangeLimit('viewer', 'speaker', { broadcasters: 2, watchers: 9 }, { maxBroadcasters: 2 }),
    ).toEqual({
      limit: 2,
      kind: 'broadcasters',
    });
    expect(
      roleChangeLimit('viewer', 'speaker', { broadcasters: 1, watchers: 9 }, { maxBroadcasters: 2 }),
    ).toBeNull();
  });

  it('counts a speaker made viewer against maxWatchers', () => {
    expect(
      roleChangeLimit('speaker', 'viewer', { broadcasters: 1, watchers: 3 }, { maxWatchers: 3 }),
    ).toEqual({
      limit: 3,
      kind: 'watchers',
    });
  });

  it('ignores changes that stay on the same side, and rooms without limits', () => {
    expect(
      roleChangeLimit('participant', 'moderator', { broadcasters: 99, watchers: 0 }, { maxBroadcasters: 1 }),
    ).toBeNull();
    expect(roleChangeLimit('viewer', 'speaker', { broadcasters: 99, watchers: 0 }, {})).toBeNull();
  });
});
