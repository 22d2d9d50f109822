import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventBus, type IEvent } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { context as traceContext, type Context } from '@opentelemetry/api';
import type { KafkaMessage, Message } from 'kafkajs';
import type { PoolClient } from 'pg';
import { DataSource } from 'typeorm';
import { COMMAND_ERROR_CODES, USER_COMMANDS } from '@event-hub/contracts';
import { startRecordSpan, type RecordSpan } from '@event-hub/kafka';
import { failSpan } from '@event-hub/observability';
import { PROCESSOR_SETTINGS, type ProcessorSettings } from '../config/processor.settings';
import { ProcessorMetrics } from '../metrics/processor.metrics';
import { PostgresTransaction } from '../transactions/postgres-transaction';
import { CommandScope, TransactionContext } from '../transactions/transaction-context';
import { missedDeadline, missedDeadlineOutcome } from './command-deadline';
import { CommandDispatcher, type DispatchedCommand } from './command-dispatcher';
import {
  KNOWN_COMMANDS,
  parseCommandMessage,
  type CommandRecord,
  type ParsedRecord,
  type PoisonRecord,
} from './command-message.parser';
import { describeError, isConnectivityError } from '../consumption/database-errors';
import { Inbox, isInboxClash, type InboxEntry, type InboxRow } from './inbox';
import { createReply, deadLetterRecord, replyRecord, type ReplyEnvelope } from './outgoing-records';

export interface ChunkSource {
  topic: string;
  partition: number;
}

/** Consecutive records of one partition, and whether that partition may still be worked on. */
export interface PartitionChunk extends ChunkSource {
  messages: KafkaMessage[];
  /** False once the consumer stops or loses the partition: the remaining records are left alone. */
  keepGoing: () => boolean;
  /** Keeps the group membership alive through a slow (retrying) chunk; throws on a rebalance. */
  heartbeat: () => Promise<void>;
}

/** What processing a chunk produced; nothing has been sent or committed yet. */
export interface ChunkOutcome {
  replies: Message[];
  deadLetters: Message[];
  /**
   * Offset of the last record whose effect is committed and whose reply/dead letter is in this
   * outcome: every record up to it is done once those are sent. Undefined when none is.
   */
  lastDoneOffset?: string;
  /** Why processing stopped before the end of the chunk because Postgres is unreachable. */
  haltedBy?: string;
  /** `together`: one transaction for the chunk; `one-by-one`: the fallback after it failed. */
  mode: 'together' | 'one-by-one';
}

interface Applied {
  reply: ReplyEnvelope;
  duplicate: boolean;
  /** Came after its deadline: refused, not applied, and not kept in the inbox. */
  expired?: boolean;
}

/**
 * Applies the chunks of one unit (the partitions of one fetch, see BatchCoalescer), each
 * partition's records in order, with an exactly-once effect.
 *
 * The unit runs in ONE transaction: the commands through the CommandBus in order (consecutive
 * create-user commands, of one partition or of several, as one `CreateUsersCommand`: one statement
 * for the run instead of one per command), then one multi-row inbox insert with COMMIT. BEGIN
 * travels with the first command's statement and the inbox is not looked up first: a redelivery
 * makes the inbox insert clash with its stored row, which aborts the transaction, and the unit is
 * applied again after a look-up (BEGIN with it), as it always is when a command is past its
 * deadline. So a unit's own overhead is one round trip (the inbox insert with COMMIT) where it was
 * three per partition. Repeats within the unit and commands past their deadline are told apart
 * before any command runs. Handlers never let a business rule fail a statement (conditional
 * inserts), so a FAILED command needs no savepoint to spare the others: the transaction only
 * aborts on a technical error. Then the unit is rolled back and each partition's records re-run one
 * command per transaction, with bounded retries, to isolate the record at fault and dead-letter it
 * alone. Postgres being unreachable is neither: processing stops (`haltedBy`) so the consumer can
 * pause without skipping anything.
 */
@Injectable()
export class CommandBatchProcessor {
  private readonly logger = new Logger(CommandBatchProcessor.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(PROCESSOR_SETTINGS) private readonly settings: ProcessorSettings,
    private readonly dispatcher: CommandDispatcher,
    private readonly context: TransactionContext,
    private readonly inbox: Inbox,
    private readonly eventBus: EventBus,
    private readonly metrics: ProcessorMetrics,
  ) {}

  /** The span of each record's handling: its work, log lines and reply continue the command's trace. */
  private readonly recordSpans = new WeakMap<KafkaMessage, RecordSpan>();

  /**
   * Applies the chunks of one unit (the partitions of one fetch) in one transaction; answers each
   * chunk's outcome, in the chunks' order.
   */
  async processUnit(chunks: PartitionChunk[]): Promise<ChunkOutcome[]> {
    const spans = chunks.flatMap((chunk) =>
      chunk.messages.map((message) => {
        const span = startRecordSpan(chunk.topic, message, chunk.partition);
        this.recordSpans.set(message, span);
        return span;
      }),
    );
    try {
      return await this.processUnitTraced(chunks);
    } catch (error) {
      for (const { span } of spans) failSpan(span, error);
      throw error;
    } finally {
      for (const { span } of spans) span.end();
    }
  }

  private async processUnitTraced(chunks: PartitionChunk[]): Promise<ChunkOutcome[]> {
    const parsed = chunks.map((chunk) => chunk.messages.map(parseCommandMessage));
    const commands = parsed.flat().filter((r): r is CommandRecord => r.kind === 'command');
    let applied: Map<CommandRecord, Applied>;
    try {
      applied = await this.applyTogether(commands);
    } catch (error) {
      if (isConnectivityError(error)) {
        const haltedBy = describeError(error);
        return chunks.map(() => ({ replies: [], deadLetters: [], haltedBy, mode: 'together' }));
      }
      this.metrics.fallbacks.inc();
      const sources = chunks.map((c) => `${c.topic}[${c.partition}]`).join(', ');
      this.logger.warn(
        `a transaction of ${commands.length} commands from ${sources} failed (${describeError(error)}); re-running them one by one`,
      );
      return Promise.all(chunks.map((chunk, i) => this.processOneByOne(chunk, parsed[i] ?? [])));
    }

    return chunks.map((chunk, i) => {
      const source: ChunkSource = { topic: chunk.topic, partition: chunk.partition };
      const outcome: ChunkOutcome = { replies: [], deadLetters: [], mode: 'together' };
      for (const record of parsed[i] ?? []) {
        if (record.kind === 'poison') this.addPoison(outcome, source, record);
        else this.addApplied(outcome, record, applied.get(record));
        outcome.lastDoneOffset = record.message.offset;
      }
      return outcome;
    });
  }

  /**
   * Applies commands in one transaction, first on the assumption that none of them is in the inbox
   * yet (no look-up: BEGIN goes with the first command's statement). A redelivery breaks the
   * assumption at the inbox insert, whose clash with the stored row aborts the transaction before
   * COMMIT; then everything is rolled back and applied again after a look-up.
   */
  private async applyTogether(commands: CommandRecord[]): Promise<Map<CommandRecord, Applied>> {
    try {
      return await this.applyInOneTransaction(commands, 'assume-new');
    } catch (error) {
      if (!isInboxClash(error)) throw error;
      return this.applyInOneTransaction(commands, 'look-up');
    }
  }

  private async processOneByOne(
    chunk: PartitionChunk,
    records: ParsedRecord[],
  ): Promise<ChunkOutcome> {
    const source: ChunkSource = { topic: chunk.topic, partition: chunk.partition };
    const outcome: ChunkOutcome = { replies: [], deadLetters: [], mode: 'one-by-one' };
    for (const record of records) {
      if (!(await stillOurs(chunk))) return outcome;
      if (record.kind === 'poison') {
        this.addPoison(outcome, source, record);
        outcome.lastDoneOffset = record.message.offset;
        continue;
      }
      for (let attempt = 1; ; attempt += 1) {
        try {
          this.addApplied(
            outcome,
            record,
            (await this.applyInOneTransaction([record], 'look-up')).get(record),
          );
          break;
        } catch (error) {
          if (isConnectivityError(error)) return { ...outcome, haltedBy: describeError(error) };
          if (attempt >= this.settings.maxAttempts) {
            traceContext.with(this.traceOf(record.message), () =>
              this.logger.error(
                `command ${record.envelope.eventId} (${record.command.type}) failed ${attempt} times, dead-lettering it: ${describeError(error)}`,
              ),
            );
            this.addExhausted(outcome, source, record, error, attempt);
            break;
          }
          await sleep(this.settings.retryBackoffMs * 2 ** (attempt - 1));
          if (!(await stillOurs(chunk))) return outcome;
        }
      }
      outcome.lastDoneOffset = record.message.offset;
    }
    return outcome;
  }

  /**
   * `look-up`: BEGIN with the inbox look-up of the commands' event ids. `assume-new`: no look-up
   * (every command is taken for a first delivery), unless a command is past its deadline: a late
   * redelivery must get its stored reply, not a refusal, so that needs the look-up.
   */
  private async applyInOneTransaction(
    commands: CommandRecord[],
    inboxCheck: 'look-up' | 'assume-new',
  ): Promise<Map<CommandRecord, Applied>> {
    const applied = new Map<CommandRecord, Applied>();
    if (commands.length === 0) return applied;
    const runner = this.dataSource.createQueryRunner();
    // Each command's events are published in its record's trace: their handlers' log lines carry it.
    const events: { trace: Context; events: IEvent[] }[] = [];
    let transaction: PostgresTransaction | undefined;
    try {
      transaction = new PostgresTransaction((await runner.connect()) as PoolClient);
      // One clock reading for the whole transaction: what is late was decided before any look-up.
      const now = Date.now();
      const late = (record: CommandRecord) =>
        record.envelope.deadline !== undefined && missedDeadline(record.envelope, now);
      let earlier: Map<string, ReplyEnvelope>;
      if (inboxCheck === 'assume-new' && !commands.some(late)) {
        transaction.beginLazily();
        earlier = new Map();
      } else {
        const eventIds = [...new Set(commands.map((c) => c.envelope.eventId))];
        earlier = this.inbox.repliesById(
          await transaction.begin<InboxRow>(this.inbox.lookupStatement(eventIds)),
        );
      }
      // First what needs no handler: redeliveries, repeats within the chunk, late commands.
      const toApply: CommandRecord[] = [];
      const repeats: CommandRecord[] = [];
      const applying = new Set<string>();
      for (const record of commands) {
        const { eventId, metadata, tenantId } = record.envelope;
        // A redelivery, from an earlier batch or twice in this one, gets the stored reply again.
        const previous = earlier.get(eventId);
        if (previous) {
          applied.set(record, { reply: previous, duplicate: true });
          continue;
        }
        if (applying.has(eventId)) {
          repeats.push(record);
          continue;
        }
        if (record.envelope.deadline !== undefined && late(record)) {
          // Not in the inbox: a retry of the same command (same event id, a new deadline) may
          // still apply it, and this record, whenever seen again, is just as late.
          const outcome = missedDeadlineOutcome(record.command.type, record.envelope.deadline);
          const reply = createReply(
            { correlationId: metadata.correlationId, causationId: eventId, tenantId },
            outcome,
          );
          applied.set(record, { reply, duplicate: false, expired: true });
          continue;
        }
        applying.add(eventId);
        toApply.push(record);
      }
      // Then the commands, in order; a run of create-user commands shares one statement.
      const entries: InboxEntry[] = [];
      for (const run of runsOf(toApply)) {
        const results = await this.applyRun(transaction, run);
        run.forEach((record, index) => {
          const { eventId, eventType, metadata, tenantId } = record.envelope;
          const result = results[index];
          if (!result) throw new Error(`command ${eventId} has no result`);
          const reply = createReply(
            { correlationId: metadata.correlationId, causationId: eventId, tenantId },
            result.data,
          );
          earlier.set(eventId, reply);
          entries.push({ eventId, correlationId: metadata.correlationId, eventType, reply });
          events.push({ trace: this.traceOf(record.message), events: result.events });
          applied.set(record, { reply, duplicate: false });
        });
      }
      for (const record of repeats) {
        const reply = earlier.get(record.envelope.eventId);
        if (!reply) throw new Error(`command ${record.envelope.eventId} has no reply to repeat`);
        applied.set(record, { reply, duplicate: true });
      }
      await transaction.commit(this.inbox.recordStatement(entries));
    } catch (error) {
      await transaction?.rollback();
      throw error;
    } finally {
      await runner.release().catch(() => undefined);
    }
    for (const published of events)
      if (published.events.length > 0)
        traceContext.with(published.trace, () => this.eventBus.publishAll(published.events));
    return applied;
  }

  /** Applies commands inside the chunk's transaction: a run of create-users at once, else one. */
  private async applyRun(
    transaction: PostgresTransaction,
    run: CommandRecord[],
  ): Promise<DispatchedCommand[]> {
    const [first] = run;
    if (!first) return [];
    const scope = new CommandScope(transaction);
    const type = first.command.type;
    const started = process.hrtime.bigint();
    // The run's statement is traced in its first command's trace: one statement, one span.
    const results = await traceContext.with(this.traceOf(first.message), () =>
      this.context.run(scope, async () =>
        run.length === 1
          ? [{ data: await this.dispatcher.dispatch(first), events: scope.events }]
          : this.dispatcher.dispatchCreateUsers(run),
      ),
    );
    const seconds = Number(process.hrtime.bigint() - started) / 1e9 / run.length;
    for (let i = 0; i < run.length; i += 1)
      this.metrics.commandDuration.observe({ command: type }, seconds);
    return results;
  }

  /** The trace context of a record's handling (the active one for a record this chunk did not open). */
  private traceOf(message: KafkaMessage): Context {
    return this.recordSpans.get(message)?.context ?? traceContext.active();
  }

  private addApplied(
    outcome: ChunkOutcome,
    record: CommandRecord,
    applied: Applied | undefined,
  ): void {
    if (!applied) throw new Error(`command ${record.envelope.eventId} has no outcome`);
    outcome.replies.push(replyRecord(applied.reply, this.traceOf(record.message)));
    const result = applied.duplicate
      ? 'duplicate'
      : applied.expired
        ? 'expired'
        : applied.reply.data.status === 'COMPLETED'
          ? 'completed'
          : 'failed';
    this.metrics.commands.inc({ command: record.command.type, outcome: result });
  }

  private addPoison(outcome: ChunkOutcome, source: ChunkSource, record: PoisonRecord): void {
    traceContext.with(this.traceOf(record.message), () =>
      this.logger.warn(
        `dead-lettering ${source.topic}[${source.partition}]@${record.message.offset}: ${record.error.message}`,
      ),
    );
    this.deadLetter(outcome, source, record.message, record.error, 1);
    if (record.correlationId) {
      const reply = createReply(
        {
          correlationId: record.correlationId,
          causationId: record.causationId,
          tenantId: record.tenantId,
        },
        { status: 'FAILED', command: record.commandType, error: record.error },
      );
      outcome.replies.push(replyRecord(reply, this.traceOf(record.message)));
    }
    this.metrics.commands.inc({
      command: commandLabel(record.commandType),
      outcome: 'dead_lettered',
    });
  }

  private addExhausted(
    outcome: ChunkOutcome,
    source: ChunkSource,
    record: CommandRecord,
    error: unknown,
    attempts: number,
  ): void {
    const failure = {
      code: COMMAND_ERROR_CODES.processingFailed,
      message: `the command could not be processed: ${describeError(error)}`,
    };
    this.deadLetter(outcome, source, record.message, failure, attempts);
    const { eventId, metadata, tenantId } = record.envelope;
    const reply = createReply(
      { correlationId: metadata.correlationId, causationId: eventId, tenantId },
      { status: 'FAILED', command: record.command.type, error: failure },
    );
    outcome.replies.push(replyRecord(reply, this.traceOf(record.message)));
    this.metrics.commands.inc({ command: record.command.type, outcome: 'dead_lettered' });
  }

  private deadLetter(
    outcome: ChunkOutcome,
    source: ChunkSource,
    message: KafkaMessage,
    error: { code: string; message: string },
    attempts: number,
  ): void {
    outcome.deadLetters.push(
      deadLetterRecord({
        topic: source.topic,
        partition: source.partition,
        message,
        error,
        attempts,
      }),
    );
    this.metrics.deadLetters.inc({ reason: error.code });
  }
}

/** Whether to go on with the chunk: still running and owning the partition, membership kept alive. */
async function stillOurs(chunk: PartitionChunk): Promise<boolean> {
  if (!chunk.keepGoing()) return false;
  try {
    await chunk.heartbeat();
    return true;
  } catch {
    // A rebalance is under way: whoever owns the partition next redoes the rest.
    return false;
  }
}

/**
 * The commands in runs, in order: consecutive create-user commands together (applied in one
 * statement), every other command alone.
 */
function runsOf(records: CommandRecord[]): CommandRecord[][] {
  const runs: CommandRecord[][] = [];
  for (const record of records) {
    const last = runs[runs.length - 1];
    const batchable = record.command.type === USER_COMMANDS.createUser;
    if (batchable && last?.[0]?.command.type === USER_COMMANDS.createUser) last.push(record);
    else runs.push([record]);
  }
  return runs;
}

/** Keeps the label set bounded: a garbage event type must not mint a new time series. */
function commandLabel(type: string): string {
  return KNOWN_COMMANDS.has(type) ? type : 'unknown';
}
