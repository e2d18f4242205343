import { DynamicModule } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { configureHttpApp } from '@confer/http';
import { DatabaseOptions, runMigrations } from '@confer/database';
import { freePort, TEST_DATABASE_URL, uniqueSchema } from './test-env';

export interface RunningNestService<C> {
  app: NestExpressApplication;
  baseUrl: string;
  config: C;
  schema: string;
  db: DataSource;
  /** Stops the service; keepSchema leaves its data (another replica, or a restart, uses it). */
  close(options?: { keepSchema?: boolean }): Promise<void>;
}

export interface NestServiceSpec<C> {
  name: string;
  /** A schema to reuse (already migrated); otherwise a fresh one is made and migrated. */
  schema?: string;
  databaseOptions(url: string, schema: string): DatabaseOptions;
  /** The service's configuration for this schema. */
  config(schema: string): C;
  module(config: C): DynamicModule;
}

/**
 * One of our services in this process, as production runs it (its migrations, its HTTP
 * conventions), on a free loopback port, against the real PostgreSQL.
 */
export async function startNestService<C>(spec: NestServiceSpec<C>): Promise<RunningNestService<C>> {
  const schema = spec.schema ?? uniqueSchema(spec.name);
  if (!spec.schema) await runMigrations(spec.databaseOptions(TEST_DATABASE_URL, schema));
  const port = await freePort();
  const config = spec.config(schema);
  const moduleRef = await Test.createTestingModule({ imports: [spec.module(config)] }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({
    bodyParser: false,
    logger: ['error'],
  });
  configureHttpApp(app, { title: `Confer ${spec.name} API`, description: 'test', version: 'test' });
  await app.listen(port, '127.0.0.1');
  const db = app.get(DataSource);
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    config,
    schema,
    db,
    async close({ keepSchema = false } = {}) {
      if (!keepSchema) await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await app.close();
    },
  };
}
