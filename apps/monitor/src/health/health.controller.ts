import { Controller, Get, Res } from '@nestjs/common';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { KafkaHealthIndicator } from '@event-hub/kafka';
import { answerHealth } from '@event-hub/service-runtime';
import { ElasticsearchHealthIndicator } from '../elasticsearch/elasticsearch.health-indicator';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly kafka: KafkaHealthIndicator,
    private readonly elasticsearch: ElasticsearchHealthIndicator,
  ) {}

  @Get()
  check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return answerHealth(reply, () =>
      this.health.check([
        () => this.kafka.check('kafka'),
        () => this.elasticsearch.check('elasticsearch'),
      ]),
    );
  }
}
