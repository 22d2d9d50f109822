import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { answerHealth } from '@event-hub/service-runtime';
import { UsageConsumerHealthIndicator } from './usage-consumer-status';

/**
 * The usage aggregator's own health, beside the command consumer's `/health`: billing may lag
 * while commands flow, and an operator should see which of the two is stuck.
 */
@ApiTags('health')
@Controller('health/usage')
export class UsageHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly consumer: UsageConsumerHealthIndicator,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'The usage consumer is storing usage events into billing' })
  @ApiServiceUnavailableResponse({
    description: 'The usage consumer is paused (Postgres cannot take rows), restarting or stopped',
  })
  check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return answerHealth(reply, () =>
      this.health.check([() => this.consumer.check('usageConsumer')]),
    );
  }
}
