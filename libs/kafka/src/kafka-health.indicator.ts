import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { Kafka, type Admin } from 'kafkajs';
import { errorMessage } from './error-message';
import { KAFKA_SETTINGS } from './kafka.tokens';
import type { KafkaSettings } from './kafka-settings';
import { withTimeout } from './with-timeout';

/**
 * Reports Kafka up when the cluster answers a metadata request within the health timeout. Uses its
 * own admin client without retries so a down broker is reported quickly instead of after backoff.
 */
@Injectable()
export class KafkaHealthIndicator implements OnModuleDestroy {
  private admin: Admin | undefined;

  constructor(
    @Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(key = 'kafka'): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    try {
      const cluster = await withTimeout(
        this.probe(),
        this.settings.healthTimeoutMs ?? 2000,
        'Kafka did not answer',
      );
      return indicator.up({ brokers: cluster.brokers.length, controller: cluster.controller });
    } catch (error) {
      await this.resetAdmin();
      return indicator.down({ message: errorMessage(error) });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.resetAdmin();
  }

  private async probe(): Promise<{ brokers: unknown[]; controller: number | null }> {
    if (!this.admin) {
      const kafka = new Kafka({
        clientId: `${this.settings.clientId}-health`,
        brokers: this.settings.brokers,
        connectionTimeout: 1000,
        retry: { retries: 0 },
        logCreator: () => () => undefined,
      });
      this.admin = kafka.admin({ retry: { retries: 0 } });
      await this.admin.connect();
    }
    return this.admin.describeCluster();
  }

  private async resetAdmin(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}
