import {
  Module,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
} from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type MixedList, type EntitySchema } from 'typeorm';
import { ensureDatabaseExists } from './ensure-database';
import { runMigrationsExclusively } from './run-migrations';

export interface PersistenceOptions {
  /** Each service owns its tables and keeps its own migrations history table. */
  migrationsTableName: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  /** Returns the DATABASE_URL. */
  useFactory: (...args: never[]) => string;
  poolSize?: number;
}

/**
 * TypeORM on Postgres: creates the database if missing and runs the service's migrations at start
 * (`synchronize` is never used).
 */
@Module({})
export class PersistenceModule {
  static forRootAsync(options: PersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      imports: [
        TypeOrmModule.forRootAsync({
          imports: options.imports ?? [],
          inject: options.inject ?? [],
          useFactory: (...args: unknown[]) => ({
            type: 'postgres' as const,
            url: options.useFactory(...(args as never[])),
            entities: options.entities,
            migrations: options.migrations,
            migrationsTableName: options.migrationsTableName,
            synchronize: false,
            migrationsRun: false,
            extra: { max: options.poolSize ?? 10 },
            retryAttempts: 10,
            retryDelay: 1000,
          }),
          dataSourceFactory: async (dataSourceOptions) => {
            if (!dataSourceOptions) throw new Error('PersistenceModule needs data source options');
            const url = (dataSourceOptions as { url?: string }).url;
            if (url) await ensureDatabaseExists(url);
            const dataSource = await new DataSource(dataSourceOptions).initialize();
            await runMigrationsExclusively(dataSource);
            return dataSource;
          },
        }),
      ],
      exports: [TypeOrmModule],
    };
  }
}
