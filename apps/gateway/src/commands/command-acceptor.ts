import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  createEnvelope,
  EVENT_HEADERS,
  JSON_CONTENT_TYPE,
  type UserCommandDataByType,
  type UserCommandType,
} from '@event-hub/contracts';
import {
  BatchSendError,
  encodeHeaders,
  ProducerClosedError,
  ProducerQueueFullError,
  type CoalescedAck,
} from '@event-hub/kafka';
import type { GatewayEnvironment } from '../config/gateway.environment';
import { GatewayMetrics } from '../metrics/gateway.metrics';
import {
  CommandNotAcceptedError,
  CommandStoreUnavailableError,
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
} from '../shared/http-errors';
import { CommandProducer } from './command-producer';
import { CommandStore, isDatabaseUnavailable } from './command-store';
import type { IdempotencyClaim } from './idempotency';

/** The tenant and API client a command comes from, as the verified token says. */
export interface CommandOrigin {
  tenantId: string;
  clientId: string;
}

/** What a command route knows of its request beyond the body. */
export interface CommandContext {
  origin: CommandOrigin;
  idempotency?: IdempotencyClaim;
}

export interface CommandToAccept<
  T extends UserCommandType = UserCommandType,
> extends CommandContext {
  type: T;
  /** Kafka key: the user id, so one user's commands stay in order. */
  key: string;
  data: UserCommandDataByType[T];
}

export interface AcceptedCommand {
  correlationId: string;
  /** True when this answer repeats the first answer to the same Idempotency-Key. */
  replayed: boolean;
}

const REPLAY_POLL_MS = 25;

/**
 * Accepts a command: remembers it as PENDING, produces it, and answers only once Kafka acknowledged
 * it. Whatever Kafka did not take leaves no PENDING row and no claimed Idempotency-Key behind.
 */
@Injectable()
export class CommandAcceptor {
  private readonly logger = new Logger(CommandAcceptor.name);
  private readonly produceTimeoutMs: number;
  private readonly retryAfterSeconds: number;

  constructor(
    private readonly store: CommandStore,
    private readonly producer: CommandProducer,
    private readonly metrics: GatewayMetrics,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    this.produceTimeoutMs = config.get('GATEWAY_PRODUCE_TIMEOUT_MS');
    this.retryAfterSeconds = config.get('GATEWAY_RETRY_AFTER_SECONDS');
  }

  async accept<T extends UserCommandType>(command: CommandToAccept<T>): Promise<AcceptedCommand> {
    const correlationId = randomUUID();
    if (command.idempotency) {
      const replay = await this.claimOrReplay(command, command.idempotency, correlationId);
      if (replay) return replay;
    } else {
      await this.guardStore(() =>
        this.store.insertPending(correlationId, command.type, command.origin.tenantId),
      );
    }
    await this.produce(command, correlationId);
    if (command.idempotency) await this.markAccepted(command.idempotency.key, correlationId);
    return { correlationId, replayed: false };
  }

  private async claimOrReplay(
    command: CommandToAccept,
    claim: IdempotencyClaim,
    correlationId: string,
  ): Promise<AcceptedCommand | undefined> {
    // A claim can vanish while we look at it (its produce failed, or it expired): then try again.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const claimed = await this.guardStore(() =>
        this.store.claimKey(claim, correlationId, command.type, command.origin.tenantId),
      );
      if (claimed) return undefined;
      const replay = await this.awaitFirstRequest(claim);
      if (replay) return replay;
    }
    throw new IdempotencyKeyInProgressError();
  }

  /**
   * The first request with this key may still be waiting for Kafka (a concurrent duplicate, or a
   * client retrying quickly): wait for its outcome rather than answering before it is known.
   */
  private async awaitFirstRequest(claim: IdempotencyClaim): Promise<AcceptedCommand | undefined> {
    const deadline = Date.now() + this.produceTimeoutMs + 1000;
    for (;;) {
      const existing = await this.guardStore(() => this.store.findKey(claim.key));
      if (!existing) return undefined;
      if (existing.requestHash !== claim.requestHash) throw new IdempotencyKeyReusedError();
      if (existing.accepted) return { correlationId: existing.correlationId, replayed: true };
      if (Date.now() > deadline) throw new IdempotencyKeyInProgressError();
      await new Promise((resolve) => setTimeout(resolve, REPLAY_POLL_MS));
    }
  }

  private async produce(command: CommandToAccept, correlationId: string): Promise<void> {
    const envelope = createEnvelope({
      eventType: command.type,
      source: 'gateway',
      data: command.data,
      correlationId,
      tenantId: command.origin.tenantId,
      clientId: command.origin.clientId,
    });
    const message = {
      key: command.key,
      value: JSON.stringify(envelope),
      headers: encodeHeaders({
        [EVENT_HEADERS.correlationId]: correlationId,
        [EVENT_HEADERS.eventType]: envelope.eventType,
        [EVENT_HEADERS.eventId]: envelope.eventId,
        [EVENT_HEADERS.contentType]: JSON_CONTENT_TYPE,
      }),
    };
    const abort = new AbortController();
    const started = performance.now();
    const sent = this.producer.send(message, abort.signal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.produceTimeoutMs);
    });
    let outcome: CoalescedAck | 'timeout';
    try {
      outcome = await Promise.race([sent, timedOut]);
    } catch (error) {
      this.observeAck(started, 'failed');
      await this.forget(correlationId, command.idempotency);
      throw this.notAccepted(error);
    } finally {
      clearTimeout(timer);
    }
    if (outcome !== 'timeout') {
      this.observeAck(started, 'acked');
      return;
    }
    // Withdraws the record if it is still queued; if its batch already went out, Kafka decides.
    abort.abort();
    this.observeAck(started, 'timeout');
    this.settleLate(sent, correlationId, command.idempotency);
    throw new CommandNotAcceptedError(
      'timeout',
      this.retryAfterSeconds,
      `Kafka did not acknowledge the command within ${this.produceTimeoutMs} ms; it was not accepted`,
    );
  }

  /**
   * After a timeout the record may still be acknowledged later. Keep the rows if it was (the
   * command will be processed, and its status and key say so); forget them if it was not.
   */
  private settleLate(
    sent: Promise<CoalescedAck>,
    correlationId: string,
    claim?: IdempotencyClaim,
  ): void {
    sent.then(
      () => {
        this.logger.warn(
          { correlationId },
          'command acknowledged by Kafka after its request was answered 503',
        );
        if (claim) void this.markAccepted(claim.key, correlationId);
      },
      () => void this.forget(correlationId, claim),
    );
  }

  private async markAccepted(key: string, correlationId: string): Promise<void> {
    try {
      await this.store.markAccepted(key, correlationId);
    } catch (error) {
      // Kafka has the command, so the client gets its 202 regardless; this only makes replays of
      // the key answer 409 (in progress) until it expires.
      this.logger.error(
        { err: error, correlationId },
        'could not mark the Idempotency-Key accepted',
      );
    }
  }

  private async forget(correlationId: string, claim?: IdempotencyClaim): Promise<void> {
    try {
      await this.store.discard(correlationId, claim?.key);
    } catch (error) {
      this.logger.error(
        { err: error, correlationId },
        'could not remove the PENDING row of a command Kafka did not take',
      );
    }
  }

  private notAccepted(error: unknown): CommandNotAcceptedError {
    if (error instanceof ProducerQueueFullError) {
      return new CommandNotAcceptedError(
        'queue_full',
        1,
        `Too many commands are waiting for Kafka (${error.limit}); retry shortly`,
      );
    }
    if (error instanceof ProducerClosedError) {
      return new CommandNotAcceptedError(
        'shutting_down',
        1,
        'This gateway instance is shutting down; retry',
      );
    }
    const detail =
      error instanceof BatchSendError ? error.message : 'Kafka did not acknowledge the command';
    this.logger.warn({ err: error }, 'command not accepted by Kafka');
    return new CommandNotAcceptedError('broker_error', this.retryAfterSeconds, detail);
  }

  private observeAck(started: number, outcome: 'acked' | 'failed' | 'timeout'): void {
    this.metrics.produceAckSeconds.observe({ outcome }, (performance.now() - started) / 1000);
  }

  private async guardStore<R>(operation: () => Promise<R>): Promise<R> {
    try {
      return await operation();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      this.logger.warn({ err: error }, 'status store unavailable; command refused');
      throw new CommandStoreUnavailableError(this.retryAfterSeconds, error);
    }
  }
}
