import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  createEnvelope,
  envelopeHeaders,
  type PlatformCommandDataByType,
  type PlatformCommandType,
} from '@event-hub/contracts';
import {
  TransactionAbortedError,
  TransactionalProducerClosedError,
  TransactionOutcomeUnknownError,
  TransactionQueueFullError,
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
import { assertDeadlineAfterProduceTimeout } from './command-deadline';
import { CommandStore, isDatabaseUnavailable, type PendingCommand } from './command-store';
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
  T extends PlatformCommandType = PlatformCommandType,
> extends CommandContext {
  type: T;
  /** Kafka key: the user (or account) id, so one user's (account's) commands stay in order. */
  key: string;
  data: PlatformCommandDataByType[T];
}

export interface AcceptedCommand {
  correlationId: string;
  /** True when this answer repeats the first answer to the same Idempotency-Key. */
  replayed: boolean;
}

const REPLAY_POLL_MS = 25;

/** The ids a command travels with, and the instant after which the processor refuses it. */
interface CommandIds {
  correlationId: string;
  eventId: string;
  deadline: Date;
}

/** How a request came to produce its command. */
type Claimed =
  | { kind: 'new'; ids: CommandIds }
  /** A retry sending again the command of an earlier attempt with its key (same ids). */
  | { kind: 'retry'; ids: CommandIds }
  | { kind: 'replay'; accepted: AcceptedCommand };

/**
 * Accepts a command: remembers it as PENDING, produces it in a Kafka transaction, and answers 202
 * once the transaction committed, or when its commit was sent but not confirmed (the status then
 * resolves either way). A command whose transaction did not commit is answered 503 and can never
 * take effect: the transaction is aborted, the processor reads committed records only, and no
 * PENDING row or claimed Idempotency-Key is left behind. Every command carries a deadline the
 * processor enforces, so a status nobody will answer (its gateway died mid-request, or its commit
 * was never confirmed) is resolved once the deadline has passed ({@link OverdueCommandsSweeper}).
 */
@Injectable()
export class CommandAcceptor {
  private readonly logger = new Logger(CommandAcceptor.name);
  private readonly produceTimeoutMs: number;
  private readonly deadlineMs: number;
  private readonly retryAfterSeconds: number;

  constructor(
    private readonly store: CommandStore,
    private readonly producer: CommandProducer,
    private readonly metrics: GatewayMetrics,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    this.produceTimeoutMs = config.get('GATEWAY_PRODUCE_TIMEOUT_MS');
    this.deadlineMs = config.get('GATEWAY_COMMAND_DEADLINE_MS');
    this.retryAfterSeconds = config.get('GATEWAY_RETRY_AFTER_SECONDS');
    assertDeadlineAfterProduceTimeout(this.deadlineMs, this.produceTimeoutMs);
  }

  async accept<T extends PlatformCommandType>(
    command: CommandToAccept<T>,
  ): Promise<AcceptedCommand> {
    const fresh: CommandIds = {
      correlationId: randomUUID(),
      eventId: randomUUID(),
      deadline: new Date(Date.now() + this.deadlineMs),
    };
    const claimed = command.idempotency
      ? await this.claimOrReplay(command, command.idempotency, fresh)
      : await this.insertPending(command, fresh);
    if (claimed.kind === 'replay') return claimed.accepted;
    const { ids } = claimed;
    try {
      await this.produce(command, ids);
    } catch (error) {
      // Never committed, so never applied. A retry's earlier attempt may still land: its key and
      // status stay for the processor's answer (or the sweeper) to settle.
      if (claimed.kind === 'new') await this.forget(ids.correlationId, command.idempotency);
      throw this.notAccepted(error);
    }
    if (command.idempotency) await this.markAccepted(command.idempotency.key, ids.correlationId);
    return { correlationId: ids.correlationId, replayed: claimed.kind === 'retry' };
  }

  private async insertPending(command: CommandToAccept, ids: CommandIds): Promise<Claimed> {
    await this.guardStore(() => this.store.insertPending(this.pending(command, ids)));
    return { kind: 'new', ids };
  }

  private pending(command: CommandToAccept, ids: CommandIds): PendingCommand {
    return { ...ids, command: command.type, tenantId: command.origin.tenantId };
  }

  private async claimOrReplay(
    command: CommandToAccept,
    claim: IdempotencyClaim,
    ids: CommandIds,
  ): Promise<Claimed> {
    // A claim can vanish while we look at it (its produce failed, or it expired): then try again.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const claimed = await this.guardStore(() =>
        this.store.claimKey(claim, this.pending(command, ids)),
      );
      if (claimed) return { kind: 'new', ids };
      const outcome = await this.awaitFirstRequest(command, claim, ids.deadline);
      if (outcome) return outcome;
    }
    throw new IdempotencyKeyInProgressError();
  }

  /**
   * The first request with this key may still be waiting for Kafka (a concurrent duplicate, or a
   * client retrying quickly): wait for its outcome rather than answering before it is known. A
   * claim that stays unconfirmed past the produce timeout belongs to a request that was answered
   * without a commit, or whose gateway died: this retry takes it over and sends the same event
   * again, which the processor applies at most once.
   */
  private async awaitFirstRequest(
    command: CommandToAccept,
    claim: IdempotencyClaim,
    deadline: Date,
  ): Promise<Claimed | undefined> {
    const staleAfterMs = this.produceTimeoutMs + 1000;
    const giveUpAt = Date.now() + staleAfterMs;
    for (;;) {
      const existing = await this.guardStore(() => this.store.findKey(claim.key, staleAfterMs));
      if (!existing) return undefined;
      if (existing.requestHash !== claim.requestHash) throw new IdempotencyKeyReusedError();
      if (existing.accepted) {
        return {
          kind: 'replay',
          accepted: { correlationId: existing.correlationId, replayed: true },
        };
      }
      if (existing.stale) {
        const taken = await this.guardStore(() =>
          this.store.takeOver(claim, staleAfterMs, command.type, command.origin.tenantId, deadline),
        );
        if (taken?.kind === 'resend') {
          return {
            kind: 'retry',
            ids: { correlationId: taken.correlationId, eventId: taken.eventId, deadline },
          };
        }
        if (taken?.kind === 'settled') {
          await this.markAccepted(claim.key, taken.correlationId);
          const accepted = { correlationId: taken.correlationId, replayed: true };
          return { kind: 'replay', accepted };
        }
      }
      if (Date.now() > giveUpAt) throw new IdempotencyKeyInProgressError();
      await new Promise((resolve) => setTimeout(resolve, REPLAY_POLL_MS));
    }
  }

  private async produce(command: CommandToAccept, ids: CommandIds): Promise<void> {
    const envelope = createEnvelope({
      eventType: command.type,
      source: 'gateway',
      data: command.data,
      eventId: ids.eventId,
      correlationId: ids.correlationId,
      deadline: ids.deadline,
      tenantId: command.origin.tenantId,
      clientId: command.origin.clientId,
    });
    const message = {
      key: command.key,
      value: JSON.stringify(envelope),
      headers: envelopeHeaders(envelope),
    };
    const started = performance.now();
    try {
      await this.producer.send(message);
      this.observeAck(started, 'acked');
    } catch (error) {
      if (error instanceof TransactionOutcomeUnknownError) {
        // The commit may or may not have landed: the 202 stands, and the status resolves either
        // way (the processor's answer, or not accepted once the deadline has passed).
        this.observeAck(started, 'unknown');
        this.logger.warn(
          { correlationId: ids.correlationId },
          'the commit of a command was not confirmed; answered 202, its status will resolve',
        );
        return;
      }
      this.observeAck(
        started,
        error instanceof TransactionAbortedError && error.reason === 'timeout'
          ? 'timeout'
          : 'failed',
      );
      throw error;
    }
  }

  private async markAccepted(key: string, correlationId: string): Promise<void> {
    try {
      await this.store.markAccepted(key, correlationId);
    } catch (error) {
      // Kafka has the command, so the client gets its 202 regardless; a replay of the key then
      // takes the claim over and sends the same event again, which the processor applies once.
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
    if (error instanceof TransactionQueueFullError) {
      return new CommandNotAcceptedError(
        'queue_full',
        1,
        `Too many commands are waiting for Kafka (${error.limit}); retry shortly`,
      );
    }
    if (error instanceof TransactionalProducerClosedError) {
      return new CommandNotAcceptedError(
        'shutting_down',
        1,
        'This gateway instance is shutting down; retry',
      );
    }
    if (error instanceof TransactionAbortedError && error.reason === 'timeout') {
      return new CommandNotAcceptedError(
        'timeout',
        this.retryAfterSeconds,
        `Kafka did not acknowledge the command within ${this.produceTimeoutMs} ms; it was not accepted and will never be applied`,
      );
    }
    const detail =
      error instanceof TransactionAbortedError
        ? error.message
        : 'Kafka did not acknowledge the command';
    this.logger.warn({ err: error }, 'command not accepted by Kafka');
    return new CommandNotAcceptedError('broker_error', this.retryAfterSeconds, detail);
  }

  private observeAck(started: number, outcome: 'acked' | 'failed' | 'timeout' | 'unknown'): void {
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
