import { join } from 'node:path';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { KAFKA_CLIENT, KAFKA_SETTINGS, type KafkaSettings } from '@event-hub/kafka';
import type { Kafka } from 'kafkajs';
import type { GatewayEnvironment } from '../config/gateway.environment';
import { BalancesMetrics } from './balances.metrics';
import { BalanceView } from './view/balance-view';

const RETRY_START_MS = 5000;

/** The gateway's one balance view, started in the background so serving never waits for it. */
@Injectable()
export class BalanceViewService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BalanceViewService.name);
  readonly view: BalanceView;
  private retry?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    @Inject(KAFKA_SETTINGS) settings: KafkaSettings,
    config: ConfigService<GatewayEnvironment, true>,
    metrics: BalancesMetrics,
  ) {
    const topic = config.get('BALANCES_TOPIC', { infer: true });
    const configuredPath = config.get('BALANCES_SNAPSHOT_PATH', { infer: true });
    this.view = new BalanceView(
      kafka,
      {
        topic,
        snapshotPath: configuredPath || join(process.cwd(), 'tmp/balances', `${topic}.sqlite`),
        snapshotIntervalMs: config.get('BALANCES_SNAPSHOT_INTERVAL_MS', { infer: true }),
        fetchMaxWaitMs: config.get('BALANCES_FETCH_MAX_WAIT_MS', { infer: true }),
        groupPrefix: `${settings.clientId}-gateway-balances`,
      },
      {
        recordsRead: (outcomes) => {
          for (const [outcome, count] of outcomes) metrics.records.inc({ outcome }, count);
        },
        snapshot: (outcome) => metrics.snapshots.inc({ outcome }),
        progress: (status) => {
          metrics.lag.set(status.lag);
          metrics.accounts.set(status.accounts);
          metrics.ready.set(status.ready ? 1 : 0);
        },
      },
    );
    metrics.ready.set(0);
  }

  onApplicationBootstrap(): void {
    this.begin();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.view.stop();
  }

  private begin(): void {
    this.view.start().catch((error: unknown) => {
      if (this.stopped) return;
      this.logger.error(`balance view did not start, retrying: ${String(error)}`);
      void this.view.stop().catch(() => undefined);
      this.retry = setTimeout(() => this.begin(), RETRY_START_MS);
    });
  }
}
