import { quoteIdent, toDataSourceOptions } from './database.options';

describe('toDataSourceOptions', () => {
  it('never synchronises and confines the connection to the service schema', () => {
    const options = toDataSourceOptions({
      schema: 'auth',
      entities: [],
      migrations: [],
      url: 'postgres://x@h/db',
    });
    expect(options.synchronize).toBe(false);
    expect(options.migrationsRun).toBe(false);
    expect(options).toMatchObject({ schema: 'auth', extra: { options: '-c search_path=auth' } });
  });

  it('refuses a schema name that could inject SQL', () => {
    expect(() => quoteIdent('auth; drop table x')).toThrow('not a valid schema name');
    expect(quoteIdent('auth_test_1')).toBe('auth_test_1');
  });
});
