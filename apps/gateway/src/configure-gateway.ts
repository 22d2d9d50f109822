import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { countCommandAnswers } from './command-acceptance/command-http';
import { setupSwagger } from './docs/swagger';
import { useGatewayErrors } from './shared/http-errors';

/** What the gateway adds to the platform's HTTP conventions: its errors, command metrics, Swagger. */
export function configureGateway(app: NestFastifyApplication): void {
  useGatewayErrors(app);
  countCommandAnswers(app);
  setupSwagger(app);
}
