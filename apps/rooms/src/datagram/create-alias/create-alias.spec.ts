import { newAliasId, newStreamKey } from './create-alias.service';

describe('alias identifiers', () => {
  it('draws streaming keys shaped as Datagram’s, long and apart from the alias id', () => {
    const keys = Array.from({ length: 200 }, () => newStreamKey());
    for (const key of keys) expect(key).toMatch(/^live_[A-Za-z0-9]{32}$/);
    expect(new Set(keys).size).toBe(keys.length);
    const id = newAliasId();
    expect(id).toMatch(/^alias_[A-Za-z0-9]{16}$/);
    expect(keys.some((key) => key.includes(id.slice('alias_'.length)))).toBe(false);
  });
});
