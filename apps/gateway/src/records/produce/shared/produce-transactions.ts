import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Kafka } from 'kafkajs';
import {
  KAFKA_CLIENT,
  logProducerReplacements,
  TransactionalProducer,
  type RecordPosition,
  type TrailerRecord,
  type TransactionalRecord,
} from '@event-hub/kafka';
import type { GatewayEnvironment } from '../../../config/gateway.environment';
import { ProduceMetrics } from './produce.metrics';

/**
 * The produce path's transactional producers. Each slot's transactional id is stable for this
 * instance (`<prefix>-<slot>`), so after a crash the restarted instance fences its previous
 * incarnation and the coordinator aborts whatever transaction it left open.
 */
@Injectable()
export class ProduceTransactions implements OnModuleInit, BeforeApplicationShutdown {
  private readonly producer: TransactionalProducer;
  readonly transactionalIdPrefix: string;
  /**
   * Who claims Idempotency-Keys here: the transactional ids (prefix and slot count) and this
   * process's incarnation. A claim by another incarnation with the same ids was fenced when this
   * one connected, so its transaction has ended, committed or aborted.
   */
  readonly claimant: string;
  /**
   * After this long, any transaction a claim's request could have started has ended, whoever
   * claimed it: the handler starts writing within `timeoutMs` of its claim, the write waits for a
   * transaction at most `timeoutMs`, and the coordinator aborts what is still open after the
   * transaction timeout (plus a margin).
   */
  readonly settledAfterMs: number;
  private readonly ids: string;

  constructor(
    @Inject(KAFKA_CLIENT) kafka: Kafka,
    config: ConfigService<GatewayEnvironment, true>,
    metrics: ProduceMetrics,
  ) {
    const timeoutMs = config.get('GATEWAY_PRODUCE_TIMEOUT_MS');
    this.transactionalIdPrefix =
      config.get('GATEWAY_TRANSACTIONAL_ID_PREFIX') ||
      defaultTransactionalIdPrefix(config.get('KAFKA_CLIENT_ID'), config.get('DATABASE_URL'));
    const slots = config.get('GATEWAY_TRANSACTIONAL_PRODUCERS');
    const transactionTimeout = Math.max(10000, 3 * timeoutMs);
    this.ids = `${this.transactionalIdPrefix}#${slots}`;
    this.claimant = `${this.ids}@${randomUUID()}`;
    this.settledAfterMs = 2 * timeoutMs + transactionTimeout + 5000;
    this.producer = new TransactionalProducer({
      slots,
      lingerMs: config.get('GATEWAY_LINGER_MS'),
      maxPendingRecords: config.get('GATEWAY_PRODUCE_MAX_PENDING_RECORDS'),
      // Below the broker's default max.message.bytes: a partition's share of one transaction
      // travels as one record batch.
      maxBatchBytes: 768 * 1024,
      timeoutMs,
      createProducer: (slot) =>
        kafka.producer({
          transactionalId: `${this.transactionalIdPrefix}-${slot}`,
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
          // kafkajs retries an idempotent producer's sends almost forever by default; a failed
          // send here only aborts the transaction (nothing is half-written), so a few will do. A
          // transaction begun right after a commit may meet CONCURRENT_TRANSACTIONS while the
          // coordinator writes the markers: retry that within milliseconds, not the client's 200.
          retry: { retries: 8, initialRetryTime: 10, maxRetryTime: 1000 },
          // Long enough for any transaction we would still commit; the coordinator aborts after it.
          transactionTimeout,
        }),
      onTransaction: (report) => {
        metrics.transactions.inc({ outcome: report.outcome });
        metrics.transactionWrites.observe(report.writes);
      },
      onProducerReplaced: logProducerReplacements(ProduceTransactions.name),
    });
  }

  async onModuleInit(): Promise<void> {
    await this.producer.connect();
  }

  write(
    records: readonly TransactionalRecord[],
    trailer?: TrailerRecord,
  ): Promise<RecordPosition[]> {
    return this.producer.write(records, trailer);
  }

  /** Whether a claim's transaction is known to have ended (see {@link claimant}). */
  fenced(claimedBy: string | null): boolean {
    if (!claimedBy) return false;
    const at = claimedBy.lastIndexOf('@');
    return claimedBy.slice(0, at) === this.ids && claimedBy !== this.claimant;
  }

  /** Requests already taken get their transaction before the producers disconnect. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.producer.close();
  }
}

/**
 * Host name plus a digest of the database the instance serves: stable across restarts of one
 * instance, distinct for the instances of one deployment (host names differ) and for several
 * deployments or test gateways on one host (databases differ), which would otherwise fence each
 * other's producers.
 */
export function defaultTransactionalIdPrefix(kafkaClientId: string, databaseUrl: string): string {
  const deployment = createHash('sha256').update(databaseUrl).digest('hex').slice(0, 10);
  return `${kafkaClientId}-gateway-${hostname()}-${deployment}`;
}
