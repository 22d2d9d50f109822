import { Controller, Get, Query } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { Principal, Public, RequireScopes, SCOPES, type AuthPrincipal } from '@event-hub/auth';
import type { GatewayEnvironment } from '../config/gateway.environment';
import { RecentCommandsQuery } from './commands/recent-commands.query';
import { RecentCommandsView } from './commands/recent-commands.view';
import type { PlatformHealth } from './health/component-health';
import { PlatformHealthService } from './health/platform-health.service';
import { MetricsSampler } from './throughput/metrics-sampler';
import type { SeriesView } from './throughput/series';

export class RecentCommandsParams {
  @ApiProperty({ required: false, minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;
}

export interface PlatformLink {
  name: string;
  url: string;
}

/**
 * What the platform page (GET /) shows. Health, throughput and the tool links are public, as
 * /health and /metrics are (nothing tenant-specific); the commands need a token and are the
 * caller's tenant's only, unless the token holds the admin scope.
 */
@ApiTags('platform')
@Controller('platform')
export class PlatformDataController {
  private readonly links: PlatformLink[];

  constructor(
    private readonly health: PlatformHealthService,
    private readonly sampler: MetricsSampler,
    private readonly queries: QueryBus,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    const tools: [string, string][] = [
      ['Swagger UI', '/docs'],
      ['Kafka UI', config.get('PLATFORM_KAFKA_UI_URL')],
      ['Kibana', config.get('PLATFORM_KIBANA_URL')],
      ['Adminer', config.get('PLATFORM_ADMINER_URL')],
      ['Grafana', config.get('PLATFORM_GRAFANA_URL')],
    ];
    this.links = tools.filter(([, url]) => url !== '').map(([name, url]) => ({ name, url }));
  }

  @Get('health')
  @Public()
  @ApiOperation({
    summary: 'Health of every component, checked now',
    description:
      'The three apps (from their /health), Kafka, Postgres, Elasticsearch (as the apps that use ' +
      'them see them) and RabbitMQ (an AMQP handshake). Always 200: `status` is `degraded` when ' +
      'a configured component is not up.',
  })
  @ApiOkResponse({ description: 'One entry per component, with why it is not up' })
  componentHealth(): Promise<PlatformHealth> {
    return this.health.check();
  }

  @Get('throughput')
  @Public()
  @ApiOperation({
    summary: 'Throughput and consumer lag over the last minutes',
    description:
      "Sampled by this gateway instance from the apps' /metrics every PLATFORM_SAMPLE_INTERVAL_MS; " +
      'a null value is a sample the app did not answer.',
  })
  @ApiOkResponse({ description: 'One series per sparkline, oldest point first' })
  throughput(): { sampleIntervalMs: number; series: SeriesView[] } {
    return { sampleIntervalMs: this.sampler.sampleIntervalMs, series: this.sampler.series() };
  }

  @Get('links')
  @Public()
  @ApiOperation({ summary: 'The operator tools the page links to (PLATFORM_*_URL)' })
  @ApiOkResponse({ description: 'Name and URL of each configured tool' })
  toolLinks(): PlatformLink[] {
    return this.links;
  }

  @Get('commands')
  @RequireScopes()
  @ApiOperation({
    summary: 'The newest commands and their status',
    description:
      "The caller's tenant's commands only; with the admin scope, every tenant's. Newest first.",
  })
  @ApiOkResponse({ type: RecentCommandsView })
  recentCommands(
    @Query() params: RecentCommandsParams,
    @Principal() caller: AuthPrincipal,
  ): Promise<RecentCommandsView> {
    const tenantId = caller.scopes.includes(SCOPES.admin) ? null : caller.tenantId;
    return this.queries.execute(new RecentCommandsQuery(tenantId, params.limit));
  }
}
