import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PixRelayMetrics, type OutboxDestination } from './pix-relay.metrics';
import { PIX_RELAY_SETTINGS, type PixRelaySettings } from './pix-relay.settings';

const DESTINATIONS: OutboxDestination[] = ['kafka', 'rabbitmq'];

/**
 * Counts the unsent outbox rows per destination on a timer (a partial index covers them), rather
 * than on every round, for the pending gauge and the health entries.
 */
@Injectable()
export class OutboxBacklogMonitor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxBacklogMonitor.name);
  private timer: NodeJS.Timeout | undefined;
  private measuring: Promise<void> | undefined;
  private readonly pending = new Map<OutboxDestination, number>();

  constructor(
    @InjectDataSource() private readonly source: DataSource,
    @Inject(PIX_RELAY_SETTINGS) private readonly settings: PixRelaySettings,
    private readonly metrics: PixRelayMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.measure(), this.settings.backlogIntervalMs);
    this.timer.unref();
    void this.measure();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.measuring;
  }

  /** Rows waiting for a destination at the last measurement (undefined before the first). */
  pendingFor(destination: OutboxDestination): number | undefined {
    return this.pending.get(destination);
  }

  measure(): Promise<void> {
    this.measuring ??= this.count().finally(() => (this.measuring = undefined));
    return this.measuring;
  }

  private async count(): Promise<void> {
    try {
      const rows: { destination: OutboxDestination; pending: string }[] = await this.source.query(
        `SELECT destination, count(*) AS pending FROM pix_outbox WHERE sent_at IS NULL
         GROUP BY destination`,
      );
      for (const destination of DESTINATIONS) {
        const pending = Number(rows.find((r) => r.destination === destination)?.pending ?? 0);
        this.pending.set(destination, pending);
        this.metrics.pending.set({ destination }, pending);
      }
    } catch (error) {
      this.logger.debug(`could not count the outbox backlog: ${(error as Error).message}`);
    }
  }
}
