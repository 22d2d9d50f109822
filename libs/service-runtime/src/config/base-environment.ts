import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';
import { IsBrokerList, IsListenAddress, IsUrlWithProtocol } from './env-validators';

/** Standard OTEL_* variables count as unset when empty, as the OpenTelemetry SDKs read them. */
const isSet = (_env: object, value: unknown): boolean => value !== undefined && value !== '';

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

  /*
   * Tracing (libs/observability, readTraceSettings): the standard OpenTelemetry variables, checked
   * here so a wrong one is named with the others at start. All unset: trace ids are made and
   * propagated for the logs, nothing is exported.
   */
  @ValidateIf(isSet)
  @IsUrlWithProtocol(['http:', 'https:'])
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @ValidateIf(isSet)
  @IsUrlWithProtocol(['http:', 'https:'])
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;

  @ValidateIf(isSet)
  @IsIn(['otlp', 'none'])
  OTEL_TRACES_EXPORTER?: string;

  @ValidateIf(isSet)
  @IsIn(['true', 'false'])
  OTEL_SDK_DISABLED?: string;

  @ValidateIf(isSet)
  @IsString()
  @Matches(/^(0(\.\d+)?|1(\.0+)?)$/, { message: 'must be a number from 0 to 1' })
  OTEL_TRACES_SAMPLER_ARG?: string;
}
