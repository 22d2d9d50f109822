import { IsInt, Max, Min } from 'class-validator';
import { BaseEnvironment, IsUrlWithProtocol } from '@event-hub/service-runtime';

export class ProcessorEnvironment extends BaseEnvironment {
  @IsInt()
  @Min(1)
  @Max(65535)
  PROCESSOR_PORT: number = 8001;

  @IsUrlWithProtocol(['postgres:', 'postgresql:'])
  DATABASE_URL!: string;
}
