import { IsInt, Max, Min } from 'class-validator';
import { BaseEnvironment, IsUrlWithProtocol } from '@event-hub/service-runtime';

export class GatewayEnvironment extends BaseEnvironment {
  @IsInt()
  @Min(1)
  @Max(65535)
  GATEWAY_PORT: number = 8000;

  @IsUrlWithProtocol(['postgres:', 'postgresql:'])
  DATABASE_URL!: string;
}
