import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheckService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { KafkaHealthIndicator } from '@event-hub/kafka';
import { answerHealth } from '@event-hub/service-runtime';
import { ConsumerHealthIndicator } from '../command-intake/consumer.health-indicator';
import { UsageConsumerHealthIndicator } from '../usage/usage-consumer-status';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly kafka: KafkaHealthIndicator,
    private readonly postgres: TypeOrmHealthIndicator,
    private readonly consumer: ConsumerHealthIndicator,
    private readonly usageConsumer: UsageConsumerHealthIndicator,
  ) {}

  @Get()
  @ApiOkResponse({
    description:
      'Kafka and Postgres are reachable and the command and usage consumers are running ' +
      '(/health/usage: the usage consumer alone)',
  })
  @ApiServiceUnavailableResponse({
    description:
      'A dependency is down or the consumer is paused/restarting; the body says which and why',
  })
  check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return answerHealth(reply, () =>
      this.health.check([
        () => this.kafka.check('kafka'),
        () => this.postgres.pingCheck('postgres', { timeout: 1500 }),
        () => this.consumer.check('consumer'),
        () => this.usageConsumer.check('usageConsumer'),
      ]),
    );
  }
}
