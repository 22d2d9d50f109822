import type { ConfigService } from '@nestjs/config';
import type { Message } from 'kafkajs';
import {
  TransactionAbortedError,
  TransactionOutcomeUnknownError,
  TransactionQueueFullError,
} from '@event-hub/kafka';
import type { GatewayEnvironment } from '../config/gateway.environment';
import type { GatewayMetrics } from '../metrics/gateway.metrics';
import { CommandNotAcceptedError } from '../shared/http-errors';
import { CommandAcceptor, type CommandToAccept } from './command-acceptor';
import type { CommandProducer } from './command-producer';
import type { CommandStore, PendingCommand, RememberedKey, TakeOver } from './command-store';

const SETTINGS: Partial<Record<keyof GatewayEnvironment, number>> = {
  GATEWAY_PRODUCE_TIMEOUT_MS: 100,
  GATEWAY_COMMAND_DEADLINE_MS: 60000,
  GATEWAY_RETRY_AFTER_SECONDS: 5,
};

/** The store's calls as the acceptor makes them; Postgres itself is the integration tests' job. */
class FakeStore {
  pending: PendingCommand[] = [];
  discarded: string[] = [];
  accepted: string[] = [];
  claimWins = true;
  key: RememberedKey | undefined;
  takeOverResult: TakeOver | undefined;
  takeOverDeadlines: Date[] = [];

  insertPending(pending: PendingCommand): Promise<void> {
    this.pending.push(pending);
    return Promise.resolve();
  }
  claimKey(_claim: unknown, pending: PendingCommand): Promise<boolean> {
    if (this.claimWins) this.pending.push(pending);
    return Promise.resolve(this.claimWins);
  }
  findKey(): Promise<RememberedKey | undefined> {
    return Promise.resolve(this.key);
  }
  takeOver(...args: [unknown, number, string, string, Date]): Promise<TakeOver | undefined> {
    this.takeOverDeadlines.push(args[4]);
    return Promise.resolve(this.takeOverResult);
  }
  markAccepted(_key: string, correlationId: string): Promise<void> {
    this.accepted.push(correlationId);
    return Promise.resolve();
  }
  discard(correlationId: string): Promise<void> {
    this.discarded.push(correlationId);
    return Promise.resolve();
  }
}

describe('CommandAcceptor', () => {
  let store: FakeStore;
  let sent: Message[];
  let outcome: () => Promise<void>;
  let acceptor: CommandAcceptor;

  const command = (idempotent = false): CommandToAccept => ({
    type: 'users.create_user',
    key: 'user-1',
    data: { userId: 'user-1', name: 'Ana', email: 'ana@example.com', document: '52998224725' },
    origin: { tenantId: 'acme', clientId: 'web' },
    ...(idempotent ? { idempotency: { key: '3:web:k1', requestHash: 'h'.repeat(64) } } : {}),
  });
  const envelopeOf = (message: Message | undefined) =>
    JSON.parse(String(message?.value)) as {
      eventId: string;
      deadline: string;
      metadata: { correlationId: string };
    };

  beforeEach(() => {
    store = new FakeStore();
    sent = [];
    outcome = () => Promise.resolve();
    const producer = {
      send: (message: Message) => {
        sent.push(message);
        return outcome();
      },
    } as unknown as CommandProducer;
    const metrics = {
      produceAckSeconds: { observe: () => undefined },
    } as unknown as GatewayMetrics;
    const config = {
      get: (name: keyof GatewayEnvironment) => SETTINGS[name],
    } as unknown as ConfigService<GatewayEnvironment, true>;
    acceptor = new CommandAcceptor(store as unknown as CommandStore, producer, metrics, config);
  });

  it('sends the command with its deadline (acceptance + GATEWAY_COMMAND_DEADLINE_MS) and answers once committed', async () => {
    const before = Date.now();
    const accepted = await acceptor.accept(command());
    const envelope = envelopeOf(sent[0]);
    expect(accepted).toEqual({ correlationId: envelope.metadata.correlationId, replayed: false });
    const deadline = Date.parse(envelope.deadline);
    expect(deadline).toBeGreaterThanOrEqual(before + 60000);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 60000);
    expect(store.pending[0]?.deadline.toISOString()).toBe(envelope.deadline);
    expect(store.pending[0]?.eventId).toBe(envelope.eventId);
  });

  it('answers 503 and forgets the PENDING row when the transaction was aborted', async () => {
    outcome = () => Promise.reject(new TransactionAbortedError('timeout'));
    const refused = acceptor.accept(command(true));
    await expect(refused).rejects.toBeInstanceOf(CommandNotAcceptedError);
    await expect(refused).rejects.toMatchObject({ reason: 'timeout', retryAfterSeconds: 5 });
    expect(store.discarded).toEqual([store.pending[0]?.correlationId]);
    expect(store.accepted).toEqual([]);
  });

  it('answers 503 queue_full with Retry-After 1 when too many commands wait', async () => {
    outcome = () => Promise.reject(new TransactionQueueFullError(10));
    await expect(acceptor.accept(command())).rejects.toMatchObject({
      reason: 'queue_full',
      retryAfterSeconds: 1,
    });
  });

  it('answers 202 and keeps the PENDING row when the commit was sent but not confirmed', async () => {
    outcome = () => Promise.reject(new TransactionOutcomeUnknownError());
    const accepted = await acceptor.accept(command(true));
    expect(accepted.correlationId).toBe(store.pending[0]?.correlationId);
    expect(store.discarded).toEqual([]);
    expect(store.accepted).toEqual([accepted.correlationId]);
  });

  it('takes over a stale claim and re-sends the same event (same ids, a new deadline)', async () => {
    store.claimWins = false;
    store.key = { requestHash: 'h'.repeat(64), correlationId: 'c-1', accepted: false, stale: true };
    store.takeOverResult = { kind: 'resend', correlationId: 'c-1', eventId: 'e-1' };
    const accepted = await acceptor.accept(command(true));
    expect(accepted).toEqual({ correlationId: 'c-1', replayed: true });
    const envelope = envelopeOf(sent[0]);
    expect([envelope.metadata.correlationId, envelope.eventId]).toEqual(['c-1', 'e-1']);
    expect(envelope.deadline).toBe(store.takeOverDeadlines[0]?.toISOString());
    expect(store.accepted).toEqual(['c-1']);
  });

  it('keeps the key and status of a taken-over claim when the re-send is refused: the earlier attempt may still land', async () => {
    store.claimWins = false;
    store.key = { requestHash: 'h'.repeat(64), correlationId: 'c-1', accepted: false, stale: true };
    store.takeOverResult = { kind: 'resend', correlationId: 'c-1', eventId: 'e-1' };
    outcome = () => Promise.reject(new TransactionAbortedError('broker_error'));
    await expect(acceptor.accept(command(true))).rejects.toBeInstanceOf(CommandNotAcceptedError);
    expect(store.discarded).toEqual([]);
  });

  it('replays without sending when the processor already answered the stale claim', async () => {
    store.claimWins = false;
    store.key = { requestHash: 'h'.repeat(64), correlationId: 'c-1', accepted: false, stale: true };
    store.takeOverResult = { kind: 'settled', correlationId: 'c-1' };
    expect(await acceptor.accept(command(true))).toEqual({ correlationId: 'c-1', replayed: true });
    expect(sent).toEqual([]);
    expect(store.accepted).toEqual(['c-1']);
  });

  it('refuses a deadline that does not exceed the produce timeout at construction', () => {
    const config = {
      get: (name: keyof GatewayEnvironment) =>
        name === 'GATEWAY_COMMAND_DEADLINE_MS' ? 100 : SETTINGS[name],
    } as unknown as ConfigService<GatewayEnvironment, true>;
    expect(
      () =>
        new CommandAcceptor(
          store as unknown as CommandStore,
          {} as CommandProducer,
          {} as GatewayMetrics,
          config,
        ),
    ).toThrow(/GATEWAY_COMMAND_DEADLINE_MS/);
  });
});
