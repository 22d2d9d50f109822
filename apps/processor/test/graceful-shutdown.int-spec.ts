import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { USER_COMMANDS, type EventEnvelope } from '@event-hub/contracts';
import {
  createTestDatabase,
  waitFor,
  withAdmin,
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

describe('processor: stopping while commands flow', () => {
  let db: TestDatabase;
  let topics: ProcessorTopics;
  let sender: CommandSender;
  let watcher: TopicWatcher;
  const apps: NestFastifyApplication[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('processor_shutdown');
    topics = uniqueProcessorTopics('processor-shutdown');
    // Small transactions so the stop lands between units, with more units still to come.
    apps.push(await startProcessor(db.url, topics, { PROCESSOR_MAX_BATCH_SIZE: '5' }));
    sender = await new CommandSender(topics.commands).connect();
    watcher = await new TopicWatcher(topics).start();
  });

  afterAll(async () => {
    await Promise.allSettled([watcher?.stop(), sender?.disconnect()]);
    for (const app of apps) await app.close().catch(() => undefined);
    await deleteProcessorTopics(topics);
    await db?.drop();
  });

  async function committedRecords(): Promise<number> {
    const offsets = await withAdmin((admin) =>
      admin.fetchOffsets({ groupId: topics.group, topics: [topics.commands] }),
    );
    return (offsets[0]?.partitions ?? []).reduce(
      (sum, p) => sum + Math.max(0, Number(p.offset)),
      0,
    );
  }

  it('commits everything it answered before stopping, and a restart answers the rest exactly once', async () => {
    const sent: EventEnvelope<{ userId: string }>[] = [];
    for (let i = 0; i < 1500; i += 1) {
      sent.push(
        sender.envelope(USER_COMMANDS.createUser, {
          userId: randomUUID(),
          name: `User ${i}`,
          email: `stop.${i}.${randomUUID()}@example.com`,
          document: randomCpf(),
        }),
      );
    }
    await sender.send(...sent);
    await waitFor(() => watcher.replies.length >= 20, { what: 'the first replies' });

    await apps[0]?.close();
    // Every answered command is committed, and nothing is committed unanswered.
    await waitFor(async () => (await committedRecords()) === watcher.replies.length, {
      what: 'the committed offsets to match the replies sent before the stop',
      timeoutMs: 10000,
    });
    expect(new Set(watcher.replies.map((r) => r.metadata.correlationId)).size).toBe(
      watcher.replies.length,
    );

    apps.push(await startProcessor(db.url, topics, { PROCESSOR_MAX_BATCH_SIZE: '5' }));
    await waitFor(() => sent.every((c) => watcher.repliesTo(c.metadata.correlationId).length > 0), {
      what: 'a reply to every command after the restart',
      timeoutMs: 60000,
    });
    expect(watcher.replies).toHaveLength(sent.length);
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    try {
      const users = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
      expect(users.rows[0]?.n).toBe(sent.length);
    } finally {
      await sql.end();
    }
  });
});
