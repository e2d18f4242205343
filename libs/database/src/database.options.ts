import { DataSourceOptions } from 'typeorm';

// TypeORM's entity and migration lists are arrays of classes.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type ClassList = Function[];

export interface DatabaseOptions {
  /** PostgreSQL URL; defaults to DATABASE_URL, then the local trust-auth server. */
  url?: string;
  /** The service's own schema: every service owns its tables and migrations. */
  schema: string;
  entities: ClassList;
  migrations: ClassList;
  /** Pool size per process. */
  poolSize?: number;
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/confer';

/** The one place TypeORM options are assembled, for the running service and the migrate command alike. */
export function toDataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  const url = options.url ?? process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  return {
    type: 'postgres',
    url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    // Unqualified names in migrations resolve to the service's schema, so one
    // migration runs unchanged in a test schema.
    extra: { options: `-c search_path=${quoteIdent(options.schema)}`, max: options.poolSize ?? 10 },
    synchronize: false,
    migrationsRun: false,
    // Failed queries surface as exceptions, logged in JSON with their context by the caller.
    logging: false,
  };
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`"${name}" is not a valid schema name`);
  return name;
}
