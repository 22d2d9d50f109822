import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { IsBrokerList, IsListenAddress } from './env-validators';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Variables every service reads. */
export class BaseEnvironment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  /**
   * Address the HTTP server binds. Loopback by default, so a service started on a laptop is not
   * reachable from the network; containers (compose) set 0.0.0.0 explicitly.
   */
  @IsListenAddress()
  HTTP_HOST: string = '127.0.0.1';

  @IsBrokerList()
  KAFKA_BROKERS!: string;

  @IsString()
  KAFKA_CLIENT_ID: string = 'event-hub';

  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(60000)
  HEALTH_TIMEOUT_MS: number = 2000;

  /** Deepest nesting of objects and arrays a JSON body may have (deeper: 400 REQUEST.TOO_DEEP). */
  @IsOptional()
  @IsInt()
  @Min(8)
  @Max(512)
  HTTP_MAX_JSON_DEPTH: number = 64;
}
