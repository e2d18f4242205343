import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DatabaseOptions, toDataSourceOptions } from './database.options';
import { DatabaseReadiness } from './database.readiness';

/**
 * TypeORM for one service's schema. The schema is never synchronised: it changes
 * only through the service's migrations (`migrate` target).
 */
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRoot({ ...toDataSourceOptions(options), retryAttempts: 3, retryDelay: 1000 }),
      ],
      providers: [DatabaseReadiness],
      exports: [TypeOrmModule, DatabaseReadiness],
    };
  }
}
