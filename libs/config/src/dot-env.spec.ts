import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { applyDotEnv } from './dot-env';

describe('applyDotEnv', () => {
  it('adds missing variables and never overrides the real environment', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'env-')), '.env');
    writeFileSync(file, '# local settings\nA=1\n\nB = two=2\nC=from-file\n');
    const env: NodeJS.ProcessEnv = { C: 'from-env' };
    applyDotEnv(file, env);
    expect(env).toEqual({ A: '1', B: 'two=2', C: 'from-env' });
  });

  it('does nothing when the file is missing', () => {
    const env: NodeJS.ProcessEnv = {};
    applyDotEnv('/nonexistent/.env', env);
    expect(env).toEqual({});
  });
});
