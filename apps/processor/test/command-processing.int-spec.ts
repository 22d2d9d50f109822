import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import {
  COMMAND_ERROR_CODES,
  COMMAND_REPLIES,
  DEAD_LETTER_HEADERS,
  PREFERENCES_LIMITS,
  USER_COMMANDS,
  type CreateUserData,
} from '@event-hub/contracts';
import { createTestDatabase, waitFor, type TestDatabase, randomCpf } from '@event-hub/testing';
import {
  CommandSender,
  TopicWatcher,
  deleteProcessorTopics,
  startProcessor,
  uniqueProcessorTopics,
  type ProcessorTopics,
} from './support/processor-harness';

describe('processor: commands from the command topic to Postgres and replies', () => {
  let db: TestDatabase;
  let sql: Client;
  let topics: ProcessorTopics;
  let app: NestFastifyApplication;
  let sender: CommandSender;
  let watcher: TopicWatcher;

  beforeAll(async () => {
    db = await createTestDatabase('processor');
    topics = uniqueProcessorTopics('processor');
    app = await startProcessor(db.url, topics, {
      PROCESSOR_RETRY_BACKOFF_MS: '50',
      PROCESSOR_LAG_INTERVAL_MS: '500',
    });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    sender = await new CommandSender(topics.commands).connect();
    watcher = await new TopicWatcher(topics).start();
  });

  afterAll(async () => {
    await Promise.allSettled([watcher?.stop(), sender?.disconnect(), sql?.end()]);
    await app?.close();
    await deleteProcessorTopics(topics);
    await db?.drop();
  });

  const newUser = (overrides: Partial<CreateUserData> = {}): CreateUserData => ({
    userId: randomUUID(),
    name: 'Ana Souza',
    email: `ana.${randomUUID()}@example.com`,
    document: randomCpf(),
    ...overrides,
  });

  /** Creates a user through the processor and waits until it is COMPLETED. */
  async function existingUser(overrides: Partial<CreateUserData> = {}): Promise<CreateUserData> {
    const data = newUser(overrides);
    const command = sender.envelope(USER_COMMANDS.createUser, data);
    await sender.send(command);
    expect((await watcher.reply(command.metadata.correlationId)).data.status).toBe('COMPLETED');
    return data;
  }

  async function rows<T>(query: string, params: unknown[] = []): Promise<T[]> {
    return (await sql.query(query, params)).rows as T[];
  }

  it('creates a user and answers COMPLETED on the reply topic, keyed and headed by correlation id', async () => {
    const data = newUser();
    const command = sender.envelope(USER_COMMANDS.createUser, data);
    await sender.send(command);

    const reply = await watcher.reply(command.metadata.correlationId);
    expect(reply).toMatchObject({
      eventType: COMMAND_REPLIES.completed,
      source: 'processor',
      metadata: { correlationId: command.metadata.correlationId, causationId: command.eventId },
      data: {
        status: 'COMPLETED',
        command: USER_COMMANDS.createUser,
        result: { userId: data.userId },
      },
    });
    const headers = watcher.replyHeaders[watcher.replies.indexOf(reply)];
    expect(headers).toMatchObject({
      key: command.metadata.correlationId,
      'correlation-id': command.metadata.correlationId,
      'event-type': COMMAND_REPLIES.completed,
    });
    expect(
      await rows('SELECT id, name, email, document FROM users WHERE id = $1', [data.userId]),
    ).toEqual([{ id: data.userId, name: data.name, email: data.email, document: data.document }]);
    expect(
      await rows('SELECT event_type FROM processed_events WHERE event_id = $1', [command.eventId]),
    ).toEqual([{ event_type: USER_COMMANDS.createUser }]);
  });

  it('creates a subscription, records a payment for it and replaces preferences, each COMPLETED with its row', async () => {
    const user = await existingUser();
    const subscriptionId = randomUUID();
    const paymentId = randomUUID();
    const subscribe = sender.envelope(USER_COMMANDS.createSubscription, {
      userId: user.userId,
      subscriptionId,
      plan: 'premium',
      billingCycle: 'yearly',
      startDate: '2025-03-01',
    });
    const pay = sender.envelope(USER_COMMANDS.recordPayment, {
      userId: user.userId,
      paymentId,
      amount: '1499.9',
      currency: 'BRL',
      method: 'pix',
      subscriptionId,
    });
    const prefer = sender.envelope(USER_COMMANDS.updatePreferences, {
      userId: user.userId,
      preferences: { theme: 'dark', notifications: { email: true } },
    });
    const preferAgain = sender.envelope(USER_COMMANDS.updatePreferences, {
      userId: user.userId,
      preferences: { theme: 'light' },
    });
    // One user's commands share a key, so they are applied in the order they were sent.
    await sender.send(subscribe, pay, prefer, preferAgain);

    expect((await watcher.reply(subscribe.metadata.correlationId)).data).toEqual({
      status: 'COMPLETED',
      command: USER_COMMANDS.createSubscription,
      result: {
        userId: user.userId,
        subscriptionId,
        plan: 'premium',
        billingCycle: 'yearly',
        startDate: '2025-03-01',
        status: 'active',
      },
    });
    expect((await watcher.reply(pay.metadata.correlationId)).data).toMatchObject({
      status: 'COMPLETED',
      result: { paymentId, amount: '1499.90', currency: 'BRL', method: 'pix', subscriptionId },
    });
    expect((await watcher.reply(prefer.metadata.correlationId)).data.status).toBe('COMPLETED');
    expect((await watcher.reply(preferAgain.metadata.correlationId)).data.status).toBe('COMPLETED');

    expect(
      await rows(
        'SELECT plan, billing_cycle, start_date::text, status FROM subscriptions WHERE id = $1',
        [subscriptionId],
      ),
    ).toEqual([
      { plan: 'premium', billing_cycle: 'yearly', start_date: '2025-03-01', status: 'active' },
    ]);
    expect(
      await rows('SELECT amount, currency, subscription_id FROM payments WHERE id = $1', [
        paymentId,
      ]),
    ).toEqual([{ amount: '1499.90', currency: 'BRL', subscription_id: subscriptionId }]);
    expect(
      await rows('SELECT settings FROM preferences WHERE user_id = $1', [user.userId]),
    ).toEqual([{ settings: { theme: 'light' } }]);
  });

  it('answers FAILED with the rule it broke, without failing the other commands of the batch', async () => {
    const owner = await existingUser({ email: 'Owner.Case@Example.com' });
    const other = await existingUser();
    const ownerSubscription = randomUUID();
    const subscribe = sender.envelope(USER_COMMANDS.createSubscription, {
      userId: owner.userId,
      subscriptionId: ownerSubscription,
      plan: 'basic',
      billingCycle: 'monthly',
      startDate: '2025-01-01',
    });
    await sender.send(subscribe);
    // Commands of different users are ordered by nothing: the mismatch case needs the owner's
    // subscription applied first, not merely sent.
    expect((await watcher.reply(subscribe.metadata.correlationId)).data.status).toBe('COMPLETED');
    const nobody = randomUUID();
    const payment = (userId: string, amount: string, subscriptionId?: string) =>
      sender.envelope(USER_COMMANDS.recordPayment, {
        userId,
        paymentId: randomUUID(),
        amount,
        currency: 'USD',
        method: 'credit_card',
        ...(subscriptionId ? { subscriptionId } : {}),
      });
    const tooManyKeys = Object.fromEntries(
      Array.from({ length: PREFERENCES_LIMITS.maxKeys + 1 }, (_, i) => [`k${i}`, i]),
    );
    const good = newUser();

    const cases = [
      [
        COMMAND_ERROR_CODES.emailTaken,
        sender.envelope(USER_COMMANDS.createUser, newUser({ email: 'owner.case@EXAMPLE.com' })),
      ],
      [
        COMMAND_ERROR_CODES.documentTaken,
        sender.envelope(USER_COMMANDS.createUser, newUser({ document: owner.document })),
      ],
      [
        COMMAND_ERROR_CODES.userNotFound,
        sender.envelope(USER_COMMANDS.createSubscription, {
          userId: nobody,
          subscriptionId: randomUUID(),
          plan: 'basic',
          billingCycle: 'monthly',
          startDate: '2025-01-01',
        }),
      ],
      [
        COMMAND_ERROR_CODES.subscriptionAlreadyActive,
        sender.envelope(USER_COMMANDS.createSubscription, {
          userId: owner.userId,
          subscriptionId: randomUUID(),
          plan: 'basic',
          billingCycle: 'yearly',
          startDate: '2025-06-01',
        }),
      ],
      [COMMAND_ERROR_CODES.userNotFound, payment(nobody, '10.00')],
      [COMMAND_ERROR_CODES.paymentInvalidAmount, payment(owner.userId, '0.00')],
      [COMMAND_ERROR_CODES.paymentInvalidAmount, payment(owner.userId, '10.999')],
      [COMMAND_ERROR_CODES.paymentInvalidAmount, payment(owner.userId, '1234567890123')],
      [COMMAND_ERROR_CODES.subscriptionNotFound, payment(owner.userId, '10.00', randomUUID())],
      [
        COMMAND_ERROR_CODES.paymentSubscriptionMismatch,
        payment(other.userId, '10.00', ownerSubscription),
      ],
      [
        COMMAND_ERROR_CODES.userNotFound,
        sender.envelope(USER_COMMANDS.updatePreferences, { userId: nobody, preferences: {} }),
      ],
      [
        'PREFERENCES.LIMITS_EXCEEDED',
        sender.envelope(USER_COMMANDS.updatePreferences, {
          userId: owner.userId,
          preferences: tooManyKeys,
        }),
      ],
    ] as const;
    const completed = sender.envelope(USER_COMMANDS.createUser, good);
    // All in one send, interleaved with a good command, so they share batches and transactions.
    await sender.send(...cases.map(([, command]) => command), completed);

    for (const [code, command] of cases) {
      const reply = await watcher.reply(command.metadata.correlationId, `the ${code} reply`);
      expect({ eventType: reply.eventType, data: reply.data }).toMatchObject({
        eventType: COMMAND_REPLIES.failed,
        data: { status: 'FAILED', command: command.eventType, error: { code } },
      });
    }
    expect((await watcher.reply(completed.metadata.correlationId)).data.status).toBe('COMPLETED');
    expect(
      await rows('SELECT count(*)::int AS n FROM payments WHERE user_id = ANY($1)', [
        [owner.userId, other.userId],
      ]),
    ).toEqual([{ n: 0 }]);
    expect(
      await rows('SELECT count(*)::int AS n FROM subscriptions WHERE user_id = $1', [owner.userId]),
    ).toEqual([{ n: 1 }]);
    expect(await rows('SELECT 1 FROM users WHERE id = $1', [good.userId])).toHaveLength(1);
    // FAILED commands are in the inbox too, so a redelivery answers the same.
    const failedIds = cases.map(([, command]) => command.eventId);
    expect(
      await rows('SELECT count(*)::int AS n FROM processed_events WHERE event_id = ANY($1)', [
        failedIds,
      ]),
    ).toEqual([{ n: cases.length }]);
  });

  it("treats another tenant's users as absent, and lets tenants share an email and a document", async () => {
    const owner = await existingUser();
    const intruder = 'it-other-tenant';
    const subscription = {
      userId: owner.userId,
      subscriptionId: randomUUID(),
      plan: 'basic' as const,
      billingCycle: 'monthly' as const,
      startDate: '2025-01-01',
    };
    const cases = [
      sender.envelope(USER_COMMANDS.createSubscription, subscription, intruder),
      sender.envelope(
        USER_COMMANDS.recordPayment,
        {
          userId: owner.userId,
          paymentId: randomUUID(),
          amount: '10.00',
          currency: 'USD',
          method: 'pix',
        },
        intruder,
      ),
      sender.envelope(
        USER_COMMANDS.updatePreferences,
        { userId: owner.userId, preferences: { theme: 'dark' } },
        intruder,
      ),
    ];
    const twin = sender.envelope(
      USER_COMMANDS.createUser,
      newUser({ email: owner.email, document: owner.document }),
      intruder,
    );
    await sender.send(...cases, twin);

    for (const command of cases) {
      const reply = await watcher.reply(command.metadata.correlationId);
      expect(reply.data).toMatchObject({
        status: 'FAILED',
        error: { code: COMMAND_ERROR_CODES.userNotFound },
      });
    }
    expect((await watcher.reply(twin.metadata.correlationId)).data.status).toBe('COMPLETED');
    expect(
      await rows('SELECT tenant_id FROM users WHERE id = ANY($1) ORDER BY tenant_id', [
        [owner.userId, twin.data.userId],
      ]),
    ).toEqual([{ tenant_id: 'it-other-tenant' }, { tenant_id: sender.tenantId }]);
    expect(await rows('SELECT 1 FROM preferences WHERE user_id = $1', [owner.userId])).toEqual([]);
  });

  it('applies an event delivered twice once, and answers both deliveries identically', async () => {
    const user = await existingUser();
    const paymentId = randomUUID();
    const command = sender.envelope(USER_COMMANDS.recordPayment, {
      userId: user.userId,
      paymentId,
      amount: '25.50',
      currency: 'EUR',
      method: 'boleto',
    });
    await sender.send(command);
    await watcher.reply(command.metadata.correlationId);
    await sender.send(command);

    const replies = await waitFor(
      () => {
        const seen = watcher.repliesTo(command.metadata.correlationId);
        return seen.length === 2 ? seen : undefined;
      },
      { what: 'a second reply to the redelivered command' },
    );
    expect(replies[1]).toEqual(replies[0]);
    expect(
      await rows('SELECT count(*)::int AS n FROM payments WHERE user_id = $1', [user.userId]),
    ).toEqual([{ n: 1 }]);
  });

  it('refuses a command that arrives after its deadline (FAILED COMMAND.NOT_ACCEPTED, nothing applied), and applies a resend of the same event with a later deadline once', async () => {
    const data = newUser();
    const late = {
      ...sender.envelope(USER_COMMANDS.createUser, data),
      deadline: new Date(Date.now() - 1000).toISOString(),
    };
    await sender.send(late);
    const refused = await watcher.reply(late.metadata.correlationId);
    expect(refused.data).toMatchObject({
      status: 'FAILED',
      command: USER_COMMANDS.createUser,
      error: { code: COMMAND_ERROR_CODES.notAccepted },
    });
    expect(await rows('SELECT 1 FROM users WHERE id = $1', [data.userId])).toEqual([]);
    expect(
      await rows('SELECT 1 FROM processed_events WHERE event_id = $1', [late.eventId]),
    ).toEqual([]);

    // A client's retry after a crash: the same event, a new deadline, then the late one again.
    const resent = { ...late, deadline: new Date(Date.now() + 60000).toISOString() };
    await sender.send(resent, late);
    const replies = await waitFor(
      () => {
        const seen = watcher.repliesTo(late.metadata.correlationId);
        return seen.length === 3 ? seen : undefined;
      },
      { what: 'the replies to the resend and the late redelivery' },
    );
    expect(replies.map((r) => r.data.status)).toEqual(['FAILED', 'COMPLETED', 'COMPLETED']);
    expect(await rows('SELECT 1 FROM users WHERE id = $1', [data.userId])).toHaveLength(1);
  });

  it('applies an event repeated within one batch once', async () => {
    const data = newUser();
    const command = sender.envelope(USER_COMMANDS.createUser, data);
    await sender.send(command, command, command);

    const replies = await waitFor(
      () => {
        const seen = watcher.repliesTo(command.metadata.correlationId);
        return seen.length === 3 ? seen : undefined;
      },
      { what: 'three replies' },
    );
    expect(replies.map((r) => r.data.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
    expect(new Set(replies.map((r) => r.eventId)).size).toBe(1);
    expect(await rows('SELECT 1 FROM users WHERE id = $1', [data.userId])).toHaveLength(1);
  });

  it('answers consecutive create-user commands of one partition as it would one by one, clashes within them included', async () => {
    const owner = await existingUser();
    const first = newUser({ email: 'Run.First@Example.com' });
    const reusedId = randomUUID();
    const cases: [string, CreateUserData][] = [
      ['COMPLETED', first],
      [COMMAND_ERROR_CODES.emailTaken, newUser({ email: 'run.first@example.COM' })],
      [COMMAND_ERROR_CODES.documentTaken, newUser({ document: first.document })],
      [COMMAND_ERROR_CODES.userAlreadyExists, newUser({ userId: first.userId })],
      // Refused for the owner's email; a later command then takes its id: the answer is still the
      // email, as it was when this command was applied.
      [COMMAND_ERROR_CODES.emailTaken, newUser({ userId: reusedId, email: owner.email })],
      ['COMPLETED', newUser({ userId: reusedId })],
      ['COMPLETED', newUser()],
    ];
    const commands = cases.map(([, data]) => sender.envelope(USER_COMMANDS.createUser, data));
    await sender.sendKeyed(`run-${randomUUID()}`, ...commands);

    const replies = await Promise.all(commands.map((c) => watcher.reply(c.metadata.correlationId)));
    expect(
      replies.map((r) => (r.data.status === 'FAILED' ? r.data.error.code : r.data.status)),
    ).toEqual(cases.map(([expected]) => expected));
    const created = cases.filter(([expected]) => expected === 'COMPLETED').map(([, d]) => d);
    expect(
      await rows<{ id: string; email: string }>(
        'SELECT id, email FROM users WHERE id = ANY($1::uuid[]) ORDER BY created_at, email',
        [cases.map(([, d]) => d.userId)],
      ),
    ).toEqual(expect.arrayContaining(created.map((d) => ({ id: d.userId, email: d.email }))));
    expect(
      await rows('SELECT 1 FROM users WHERE id = ANY($1::uuid[])', [
        cases.map(([, d]) => d.userId),
      ]),
    ).toHaveLength(created.length);
  });

  it('dead-letters a record that is not JSON, answers FAILED when it names a correlation id, and moves on', async () => {
    const correlationId = randomUUID();
    const key = randomUUID();
    await sender.sendRaw(key, '{"this is": not json', {
      'correlation-id': correlationId,
      'event-type': USER_COMMANDS.createUser,
      'x-origin': 'test',
    });
    const next = sender.envelope(USER_COMMANDS.createUser, newUser({ userId: key }));
    await sender.send(next);

    const failed = await watcher.reply(correlationId);
    expect(failed).toMatchObject({
      eventType: COMMAND_REPLIES.failed,
      data: {
        status: 'FAILED',
        command: USER_COMMANDS.createUser,
        error: { code: COMMAND_ERROR_CODES.malformedCommand },
      },
    });
    const dead = await waitFor(() => watcher.deadLetters.find((d) => d.key === key), {
      what: 'the dead letter',
    });
    expect(dead.value).toBe('{"this is": not json');
    expect(dead.headers).toMatchObject({
      'correlation-id': correlationId,
      'x-origin': 'test',
      [DEAD_LETTER_HEADERS.errorCode]: COMMAND_ERROR_CODES.malformedCommand,
      [DEAD_LETTER_HEADERS.originalTopic]: topics.commands,
      [DEAD_LETTER_HEADERS.attempts]: '1',
    });
    expect(dead.headers[DEAD_LETTER_HEADERS.error]).toMatch(/not JSON/);
    expect(dead.headers[DEAD_LETTER_HEADERS.originalPartition]).toMatch(/^\d+$/);
    expect(dead.headers[DEAD_LETTER_HEADERS.originalOffset]).toMatch(/^\d+$/);

    expect((await watcher.reply(next.metadata.correlationId)).data.status).toBe('COMPLETED');
  });

  it('dead-letters an unknown command type and answers COMMAND.UNKNOWN', async () => {
    const userId = randomUUID();
    const command = {
      ...sender.envelope(USER_COMMANDS.updatePreferences, { userId, preferences: {} }),
    };
    const unknown = { ...command, eventType: 'users.delete_user' };
    await sender.sendRaw(userId, JSON.stringify(unknown));

    expect((await watcher.reply(unknown.metadata.correlationId)).data).toMatchObject({
      status: 'FAILED',
      command: 'users.delete_user',
      error: { code: COMMAND_ERROR_CODES.unknownCommand },
    });
    await waitFor(() => watcher.deadLetters.find((d) => d.key === userId), {
      what: 'the dead letter',
    });
  });

  it('retries a command that keeps failing for a technical reason, then dead-letters it while the rest of its batch completes', async () => {
    // A trigger stands in for an unexpected database error that is not an outage.
    await sql.query(`
      CREATE FUNCTION refuse_doomed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.name = 'Doomed' THEN RAISE EXCEPTION 'simulated failure for %', NEW.id; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER users_refuse_doomed BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION refuse_doomed();`);
    try {
      const before = newUser();
      const doomed = newUser({ name: 'Doomed' });
      const after = newUser();
      const commands = [before, doomed, after].map((d) =>
        sender.envelope(USER_COMMANDS.createUser, d),
      );
      await sender.send(...commands);

      const [first, failed, last] = await Promise.all(
        commands.map((c) => watcher.reply(c.metadata.correlationId)),
      );
      expect(first?.data.status).toBe('COMPLETED');
      expect(last?.data.status).toBe('COMPLETED');
      expect(failed?.data).toMatchObject({
        status: 'FAILED',
        error: { code: COMMAND_ERROR_CODES.processingFailed },
      });
      const dead = await waitFor(() => watcher.deadLetters.find((d) => d.key === doomed.userId), {
        what: 'the dead letter',
      });
      expect(dead.headers).toMatchObject({
        [DEAD_LETTER_HEADERS.errorCode]: COMMAND_ERROR_CODES.processingFailed,
        [DEAD_LETTER_HEADERS.attempts]: '3',
      });
      expect(dead.headers[DEAD_LETTER_HEADERS.error]).toMatch(/simulated failure/);
      expect(
        await rows('SELECT id FROM users WHERE id = ANY($1) ORDER BY name', [
          [before.userId, doomed.userId, after.userId],
        ]),
      ).toHaveLength(2);
    } finally {
      await sql.query('DROP TRIGGER users_refuse_doomed ON users; DROP FUNCTION refuse_doomed();');
    }
  });

  it('reports a running consumer on /health and counts commands on /metrics', async () => {
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({
      status: 'ok',
      info: {
        kafka: { status: 'up' },
        postgres: { status: 'up' },
        consumer: { status: 'up', state: 'running' },
      },
    });

    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(
      /processor_commands_total\{command="users.create_user",outcome="completed"[^}]*\} \d+/,
    );
    expect(metrics).toMatch(
      /processor_commands_total\{command="users.create_user",outcome="duplicate"/,
    );
    expect(metrics).toMatch(/processor_dead_letters_total\{reason="COMMAND.MALFORMED"/);
    expect(metrics).toMatch(/processor_batch_duration_seconds_bucket/);
    expect(metrics).toMatch(/processor_batch_size_bucket/);
    expect(metrics).toMatch(/processor_domain_events_total\{event="UserCreatedEvent"/);
    // Everything sent so far is answered and committed, so the measured lag drops to zero.
    const lag = new RegExp(
      `processor_consumer_lag\\{topic="${topics.commands.replace(/\./g, '\\.')}",partition="\\d+"[^}]*\\} (\\d+)`,
      'g',
    );
    await waitFor(
      async () => {
        const body = (await app.inject({ method: 'GET', url: '/metrics' })).body;
        const values = [...body.matchAll(lag)].map((m) => Number(m[1]));
        return values.length > 0 && values.every((v) => v === 0);
      },
      { what: 'a zero consumer lag on every partition' },
    );
  });
});
