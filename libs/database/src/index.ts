export * from './database.options';
export * from './database.module';
export * from './database.readiness';
export * from './run-migrations';
export * from './group-commit';
