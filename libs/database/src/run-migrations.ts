import { DataSource } from 'typeorm';
import { DatabaseOptions, quoteIdent, toDataSourceOptions } from './database.options';

/**
 * Creates the service's schema when missing and applies its pending migrations,
 * each in its own transaction. Returns the names of the migrations applied.
 */
export async function runMigrations(options: DatabaseOptions): Promise<string[]> {
  const dataSource = new DataSource(toDataSourceOptions(options));
  await dataSource.initialize();
  try {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}

/** Entry point for a service's `migrate` target: `node dist/database/migrate.js`. */
export async function migrateAndExit(options: DatabaseOptions): Promise<void> {
  try {
    const applied = await runMigrations(options);
    process.stdout.write(
      JSON.stringify({ level: 'info', schema: options.schema, msg: 'migrations applied', applied }) + '\n',
    );
    process.exit(0);
  } catch (error) {
    process.stderr.write(
      JSON.stringify({
        level: 'error',
        schema: options.schema,
        msg: 'migrations failed',
        error: String(error),
      }) + '\n',
    );
    process.exit(1);
  }
}
