export * from './database-url';
export * from './ensure-database';
export * from './run-migrations';
export * from './persistence.module';
