import { Controller, Get, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { answerHealth } from '../http/health-response';
import { ServiceHealth } from './service-health';

export interface LivenessReport {
  status: 'ok';
  uptimeSeconds: number;
}

/**
 * The three health routes every service answers, without a token: liveness for an orchestrator's
 * restart decision, readiness for its routing decision, and the detailed report for people.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly checks: ServiceHealth,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Detailed report: each dependency and the service’s own state',
    description:
      '200 when everything is up; 503 otherwise, the body says which entry is down and why.',
  })
  @ApiOkResponse({ description: 'Everything up' })
  @ApiServiceUnavailableResponse({ description: 'At least one entry is down; the body says which' })
  report(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return answerHealth(reply, () => this.health.check(this.checks.report()));
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: the service can do its job now',
    description:
      'The subset of the report the service needs to serve. 503 means "send no work here for now", ' +
      'not "restart me": the service recovers by itself when the dependency returns.',
  })
  @ApiOkResponse({ description: 'Ready' })
  @ApiServiceUnavailableResponse({ description: 'Not ready; the body says what it waits for' })
  ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return answerHealth(reply, () => this.health.check(this.checks.readiness()));
  }

  @Get('live')
  @ApiOperation({
    summary: 'Liveness: the process is up and its event loop answers',
    description:
      'Checks no dependency, so an outage never gets a healthy process restarted. Answered on the ' +
      'event loop itself: a wedged process does not answer, and the probe’s timeout fails it.',
  })
  @ApiOkResponse({ description: 'Alive' })
  live(): LivenessReport {
    return { status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
  }
}
