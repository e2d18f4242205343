import { Type } from '@sinclair/typebox';
import { loadConfig, InvalidConfiguration } from './load-config';

const Schema = Type.Object({
  PORT: Type.Integer({ default: 3000, minimum: 1 }),
  DATABASE_URL: Type.String({ minLength: 1 }),
  DEBUG: Type.Boolean({ default: false }),
});

describe('loadConfig', () => {
  it('converts numbers and booleans and applies defaults', () => {
    expect(loadConfig(Schema, { DATABASE_URL: 'postgres://x', DEBUG: 'true' })).toEqual({
      PORT: 3000,
      DATABASE_URL: 'postgres://x',
      DEBUG: true,
    });
    expect(loadConfig(Schema, { DATABASE_URL: 'postgres://x', PORT: '8081' }).PORT).toBe(8081);
  });

  it('names every missing or invalid variable at once', () => {
    try {
      loadConfig(Schema, { PORT: 'abc' });
      throw new Error('expected a failure');
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidConfiguration);
      const message = (e as Error).message;
      expect(message).toContain('DATABASE_URL is required');
      expect(message).toContain('PORT');
    }
  });
});
