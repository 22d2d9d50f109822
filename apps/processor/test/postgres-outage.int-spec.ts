import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { USER_COMMANDS, type EventEnvelope } from '@event-hub/contracts';
import {
  TcpProxy,
  createTestDatabase,
  waitFor,
  type TestDatabase,
  randomCpf,
} from '@event-hub/testing';
import {
  CommandSender,
  TopicWatcher,
  deleteProcessorTopics,
  startProcessor,
  uniqueProcessorTopics,
  type ProcessorTopics,
} from './support/processor-harness';

describe('processor: Postgres goes away while commands flow', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let topics: ProcessorTopics;
  let app: NestFastifyApplication;
  let sender: CommandSender;
  let watcher: TopicWatcher;

  beforeAll(async () => {
    db = await createTestDatabase('processor_outage');
    const direct = new URL(db.url);
    proxy = await new TcpProxy(direct.hostname, Number(direct.port || 5432)).start();
    const viaProxy = new URL(db.url);
    viaProxy.port = String(proxy.port);
    topics = uniqueProcessorTopics('processor-outage');
    app = await startProcessor(viaProxy.toString(), topics, {
      PROCESSOR_DB_PROBE_INTERVAL_MS: '200',
    });
    sender = await new CommandSender(topics.commands).connect();
    watcher = await new TopicWatcher(topics).start();
  });

  afterAll(async () => {
    proxy?.restore();
    await Promise.allSettled([watcher?.stop(), sender?.disconnect()]);
    await app?.close();
    await proxy?.stop();
    await deleteProcessorTopics(topics);
    await db?.drop();
  });

  const health = async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    return {
      code: response.statusCode,
      body: response.json<Record<string, Record<string, unknown>>>(),
    };
  };

  const createUserCommand = (i: number) =>
    sender.envelope(USER_COMMANDS.createUser, {
      userId: randomUUID(),
      name: `User ${i}`,
      email: `user.${i}.${randomUUID()}@example.com`,
      document: randomCpf(),
    });

  it('pauses and reports 503, loses nothing, and answers every command exactly once after Postgres is back', async () => {
    const sent: EventEnvelope<{ userId: string }>[] = [];
    const sendSome = async (count: number) => {
      for (let i = 0; i < count; i += 1) {
        const command = createUserCommand(sent.length);
        sent.push(command);
        await sender.send(command);
      }
    };

    await sendSome(20);
    await waitFor(() => watcher.replies.length >= 5, { what: 'the first replies' });

    proxy.cut();
    await sendSome(20);
    const down = await waitFor(
      async () => {
        const state = await health();
        return state.code === 503 && state.body['error']?.['consumer'] ? state : undefined;
      },
      { what: '/health to report the paused consumer' },
    );
    expect(down.body['error']?.['consumer']).toMatchObject({ status: 'down', state: 'paused' });
    expect(String((down.body['error']?.['consumer'] as { reason?: string }).reason)).toMatch(
      /postgres unreachable/,
    );
    expect(down.body['error']?.['postgres']).toMatchObject({ status: 'down' });
    const answeredWhileDown = watcher.replies.length;

    await sendSome(10);
    proxy.restore();

    await waitFor(() => sent.every((c) => watcher.repliesTo(c.metadata.correlationId).length > 0), {
      what: 'a reply to every command',
      timeoutMs: 60000,
    });
    expect(answeredWhileDown).toBeLessThan(sent.length);
    await waitFor(async () => (await health()).code === 200, { what: '/health to recover' });

    for (const command of sent) {
      const replies = watcher.repliesTo(command.metadata.correlationId);
      expect(replies.map((r) => r.data.status)).toEqual(['COMPLETED']);
    }
    // An outage is waited out, never dead-lettered.
    expect(watcher.deadLetters).toEqual([]);
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    try {
      const users = await sql.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM users WHERE id = ANY($1)',
        [sent.map((c) => c.data.userId)],
      );
      expect(users.rows[0]?.n).toBe(sent.length);
      const inbox = await sql.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM processed_events',
      );
      expect(inbox.rows[0]?.n).toBe(sent.length);
    } finally {
      await sql.end();
    }
  });
});
