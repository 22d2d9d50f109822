import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthCheckService } from '@nestjs/terminus';
import { ServiceHealth } from '@event-hub/service-runtime';
import type { GatewayEnvironment } from '../../config/gateway.environment';
import { amqpHandshake } from './amqp-handshake';
import { probeAppHealth } from './app-health-probe';
import {
  aggregatePlatformHealth,
  isHealthReport,
  type AppProbe,
  type BrokerProbe,
  type PlatformHealth,
} from './component-health';

/** Asks every component how it is, all at once, each within HEALTH_TIMEOUT_MS. */
@Injectable()
export class PlatformHealthService {
  private readonly timeoutMs: number;

  constructor(
    private readonly health: HealthCheckService,
    private readonly checks: ServiceHealth,
    private readonly config: ConfigService<GatewayEnvironment, true>,
  ) {
    this.timeoutMs = config.get('HEALTH_TIMEOUT_MS');
  }

  async check(): Promise<PlatformHealth> {
    const [gateway, processor, monitor, rabbitmq] = await Promise.all([
      this.ownReport(),
      probeAppHealth(this.config.get('PLATFORM_PROCESSOR_URL'), this.timeoutMs),
      probeAppHealth(this.config.get('PLATFORM_MONITOR_URL'), this.timeoutMs),
      this.rabbitmq(),
    ]);
    return aggregatePlatformHealth({ gateway, processor, monitor, rabbitmq }, new Date());
  }

  /** This gateway's own /health report, without a round trip through HTTP. */
  private async ownReport(): Promise<AppProbe> {
    let body: unknown;
    try {
      body = await this.health.check(this.checks.report());
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      body = error.getResponse();
    }
    return isHealthReport(body)
      ? { reachable: true, report: body }
      : { reachable: false, error: 'the health check gave no report' };
  }

  private rabbitmq(): Promise<BrokerProbe> {
    const url = this.config.get('PLATFORM_RABBITMQ_URL');
    return url === '' ? Promise.resolve({ configured: false }) : amqpHandshake(url, this.timeoutMs);
  }
}
