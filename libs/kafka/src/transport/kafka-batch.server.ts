import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { ROOT_CONTEXT, context as otelContext, trace } from '@opentelemetry/api';
import { lastValueFrom } from 'rxjs';
import { SpanKind, failSpan, tracer } from '@event-hub/observability';
import { KAFKA_CLIENT } from '../kafka.tokens';
import { recordTraceContext } from '../record-tracing';
import { KAFKA_BATCH_TRANSPORT, isKafkaBatchExtras } from './kafka-batch';
import { KafkaBatchContext } from './kafka-batch.context';
import type {
  KafkaBatchSubscription,
  KafkaBatchSubscriptionControl,
} from './kafka-batch-subscription';
import { GroupMember } from './group-member';

type ServerEvents = Record<string, never>;
type ServerStatus = 'listening' | 'closed';

/**
 * A Nest microservice transport on kafkajs `eachBatch`: each subscription is one consumer group
 * (group id kept as configured), its partitions handled concurrently, each fetched batch handed to
 * the `@EventPattern(pattern, KAFKA_BATCH)` handler as `(records, KafkaBatchContext)`. What the
 * handler resolved is committed only after its promise or observable succeeded; a handler that
 * fails commits nothing and the batch is delivered again (kafkajs retries it with backoff, then
 * restarts the consumer).
 *
 * Features register their subscriptions while the app initialises; `listen()`
 * (`app.startAllMicroservices()`) starts them. The server stops in `onModuleDestroy`, before the
 * producers and databases the handlers need close.
 */
@Injectable()
export class KafkaBatchServer
  extends Server<ServerEvents, ServerStatus>
  implements CustomTransportStrategy, OnModuleDestroy
{
  override readonly transportId = KAFKA_BATCH_TRANSPORT;
  private readonly members: GroupMember[] = [];
  private readonly handlers = new Map<string, MessageHandler>();
  private listening = false;
  private closed: Promise<void> | undefined;

  constructor(@Inject(KAFKA_CLIENT) private readonly kafka: Kafka) {
    super();
  }

  /**
   * Adds a consumer group; call before `listen()`. The returned control commits (deferred mode)
   * and changes the topic list while the server runs.
   */
  subscribe(subscription: KafkaBatchSubscription): KafkaBatchSubscriptionControl {
    if (this.listening)
      throw new Error(`subscribe ${subscription.groupId} before the server listens`);
    const member = new GroupMember(this.kafka, subscription, (payload, from) =>
      this.consume(payload, from),
    );
    this.members.push(member);
    return member;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      this.listening = true;
      for (const member of this.members) {
        const { pattern } = member.subscription;
        this.handlers.set(pattern, this.handlerFor(pattern));
      }
      await Promise.all(this.members.map((member) => member.start()));
      this._status$.next('listening');
      callback();
    } catch (error) {
      callback(error);
    }
  }

  close(): Promise<void> {
    this.closed ??= Promise.all(this.members.map((member) => member.stop())).then(() =>
      this._status$.next('closed'),
    );
    return this.closed;
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }

  on(): never {
    throw new Error('KafkaBatchServer emits no events: subscriptions take onEvent');
  }

  /** The kafkajs consumers, one per subscription (undefined before listen). */
  unwrap<T = Consumer[]>(): T {
    return this.members.map((member) => member.unwrap()) as T;
  }

  private handlerFor(pattern: string): MessageHandler {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler || !isKafkaBatchExtras(handler.extras))
      throw new Error(`no @EventPattern('${pattern}', KAFKA_BATCH) handler is registered`);
    return handler;
  }

  private async consume(payload: EachBatchPayload, member: GroupMember): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0 || member.closing) return;
    const handedOver = Date.now();
    // Resolved once at listen: Nest's lookup JSON-parses the pattern (a throw per string pattern).
    const handler =
      this.handlers.get(member.subscription.pattern) ??
      this.handlerFor(member.subscription.pattern);
    const context = new KafkaBatchContext(batch, {
      heartbeat: payload.heartbeat,
      // A consumer leaving for a topic change is still running: its batches must end all the same.
      isRunning: () => payload.isRunning() && !member.closing,
      isStale: payload.isStale,
      pause: () => member.pause(),
    });
    // The batch's span (`receive`): a one-record batch continues the record's trace; a larger one is a trace
    // of its own (handlers that work record by record open a span per record, see startRecordSpan).
    const only = batch.messages.length === 1 ? batch.messages[0] : undefined;
    const parent = only ? recordTraceContext(only) : ROOT_CONTEXT;
    const span = tracer().startSpan(
      `${batch.topic} receive`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.destination.name': batch.topic,
          'messaging.destination.partition.id': String(batch.partition),
          'messaging.consumer.group.name': member.subscription.groupId,
          'messaging.batch.message_count': batch.messages.length,
        },
      },
      parent,
    );
    try {
      await otelContext.with(trace.setSpan(parent, span), () =>
        this.handle(payload, member, handler, context),
      );
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
    await this.keepFetchInterval(member, handedOver);
  }

  /**
   * Holds the batch (and so the group's next fetch, which kafkajs sends once every batch of the
   * last one returned) until `minFetchIntervalMs` after it was handed over: what arrives meanwhile
   * comes in the next fetch, together. Its offsets are committed already.
   */
  private async keepFetchInterval(member: GroupMember, handedOver: number): Promise<void> {
    const left = (member.subscription.minFetchIntervalMs ?? 0) - (Date.now() - handedOver);
    if (left > 0 && !member.closing) await new Promise((resolve) => setTimeout(resolve, left));
  }

  private async handle(
    payload: EachBatchPayload,
    member: GroupMember,
    handler: MessageHandler,
    context: KafkaBatchContext,
  ): Promise<void> {
    const { batch } = payload;
    await new Promise<void>((resolve, reject) => {
      this.onProcessingStartHook(this.transportId, context, async () => {
        try {
          // Rejects on a failed handler: Nest's exception handler turns a throw into an error.
          await lastValueFrom(this.transformToObservable(await handler(batch.messages, context)), {
            defaultValue: undefined,
          });
          await this.commitDone(payload, context, member);
          resolve();
        } catch (error) {
          reject(asError(error));
        } finally {
          this.onProcessingEndHook?.(this.transportId, context);
        }
      });
    });
  }

  private async commitDone(
    payload: EachBatchPayload,
    context: KafkaBatchContext,
    member: GroupMember,
  ): Promise<void> {
    const done = context.doneOffset();
    if (done === undefined) return;
    payload.resolveOffset(done);
    // Deferred: the feature commits once what it accepted is stored; the fetch moves on meanwhile.
    if (member.subscription.commits === 'deferred') return;
    // The committed offset is the next record to read.
    await member.commits.commit(
      context.topic,
      context.partition,
      (BigInt(done) + 1n).toString(),
      payload.commitOffsetsIfNecessary,
    );
  }
}

/** Nest's RPC exception handler rejects with `{ status, message }`, not an Error. */
function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  const message = (error as { message?: unknown } | null)?.message;
  return new Error(
    `batch handler failed: ${typeof message === 'string' ? message : JSON.stringify(error)}`,
  );
}
