import { IsInt, IsString, Max, Min } from 'class-validator';
import { BaseEnvironment, IsUrlWithProtocol } from '@event-hub/service-runtime';

export class MonitorEnvironment extends BaseEnvironment {
  @IsInt()
  @Min(1)
  @Max(65535)
  MONITOR_PORT: number = 8002;

  @IsUrlWithProtocol(['http:', 'https:'])
  ELASTICSEARCH_URL!: string;

  /** Where records spill as NDJSON while Elasticsearch is unavailable. */
  @IsString()
  MONITOR_FALLBACK_DIR: string = '.dev-services/monitor-fallback';
}
