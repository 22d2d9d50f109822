import { setTimeout as sleep } from 'node:timers/promises';
import {
  bootstrapAdmin,
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  devServices,
  randomCpf,
  uniqueName,
  waitFor,
  type TestDatabase,
} from '@event-hub/testing';
import { SCOPES } from '@event-hub/auth';
import { AppProcess } from './support/app-process';
import {
  pipelineGatewayEnv,
  pipelineProcessorEnv,
  pipelineTopics,
  querySql,
} from './support/command-pipeline';
import { createTenantCaller, tokenFor, type TenantCaller } from './support/platform-clients';

interface Status {
  status: 'PENDING' | 'COMPLETED' | 'FAILED';
  error?: { code: string };
}

/** One `POST /users` as the client saw it; `undefined` status when the connection failed. */
interface Sent {
  email: string;
  key?: string;
  status?: number;
  correlationId?: string;
}

const GATEWAY_PORT = 18220;
const PROCESSOR_PORT = 18222;
const DEADLINE_MS = 8000;
const GRACE_MS = 2000;
/** The gateway's transaction timeout (3 × produce timeout, at least 10 s): the coordinator has aborted every open transaction after it. */
const TRANSACTION_TIMEOUT_MS = 10000;

/**
 * What a command's answer promises, through the built apps and a real broker (issue 9): a 503
 * means the command never takes effect, a 202 that it takes effect once or its status says it
 * did not, no status stays PENDING, and an Idempotency-Key retried across a gateway crash applies
 * its command once and answers the first correlation id.
 */
describe('command answers that hold across broker outages and gateway crashes', () => {
  const run = uniqueName('e2e-guarantees');
  const topics = pipelineTopics(run);
  let db: TestDatabase;
  let gateway: AppProcess;
  let processor: AppProcess;
  let caller: TenantCaller;
  let users = 0;

  const gatewayEnv = () => ({
    ...pipelineGatewayEnv(db.url, run, topics),
    GATEWAY_TRANSACTIONAL_ID_PREFIX: run,
    GATEWAY_PRODUCE_TIMEOUT_MS: '2000',
    GATEWAY_COMMAND_DEADLINE_MS: String(DEADLINE_MS),
    GATEWAY_COMMAND_DEADLINE_GRACE_MS: String(GRACE_MS),
    GATEWAY_COMMAND_SWEEP_INTERVAL_MS: '500',
  });
  const startGateway = async (): Promise<AppProcess> => {
    const started = new AppProcess('gateway', GATEWAY_PORT, gatewayEnv()).start();
    await started.waitForHealth(200, 180000);
    return started;
  };

  function newUser() {
    users += 1;
    return {
      name: `Guarantee ${users}`,
      email: `${run}-${users}@example.com`,
      document: randomCpf(),
    };
  }

  async function createUser(user: ReturnType<typeof newUser>, key?: string): Promise<Sent> {
    try {
      const response = await fetch(`${gateway.baseUrl}/users`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...caller.headers,
          ...(key ? { 'idempotency-key': key } : {}),
        },
        body: JSON.stringify(user),
        signal: AbortSignal.timeout(30000),
      });
      const body = (await response.json()) as { correlationId?: string };
      return { email: user.email, key, status: response.status, correlationId: body.correlationId };
    } catch {
      return { email: user.email, key };
    }
  }

  /** Sends commands from `workers` loops until stopped; resolves with every answer. */
  function load(workers: number, send: () => Promise<Sent>): { stop: () => Promise<Sent[]> } {
    let running = true;
    const sent: Sent[] = [];
    const loops = Array.from({ length: workers }, async () => {
      while (running) {
        const answer = await send();
        sent.push(answer);
        if (answer.status === undefined) await sleep(100);
      }
    });
    return {
      stop: async () => {
        running = false;
        await Promise.all(loops);
        return sent;
      },
    };
  }

  const query = <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
    querySql<T>(db.url, sql, params);

  async function rowsPerEmail(emails: string[]): Promise<Map<string, number>> {
    const rows = await query<{ email: string; count: string }>(
      'SELECT email, count(*) FROM users WHERE email = ANY($1) GROUP BY email',
      [emails],
    );
    return new Map(rows.map((r) => [r.email, Number(r.count)]));
  }

  async function statusOf(correlationId: string): Promise<Status | undefined> {
    const response = await fetch(`${gateway.baseUrl}/status/${correlationId}`, {
      headers: caller.headers,
    });
    return response.status === 200 ? ((await response.json()) as Status) : undefined;
  }

  function finalStatus(correlationId: string): Promise<Status> {
    return waitFor(
      async () => {
        const status = await statusOf(correlationId);
        return status && status.status !== 'PENDING' ? status : undefined;
      },
      { timeoutMs: 120000, intervalMs: 250, what: `command ${correlationId} to finish` },
    );
  }

  beforeAll(async () => {
    db = await createTestDatabase('e2e_guarantees');
    await createTestTopics([topics.commands, topics.replies], 3);
    await createTestTopics([topics.dlq], 1);
    processor = new AppProcess(
      'processor',
      PROCESSOR_PORT,
      pipelineProcessorEnv(db.url, run, topics),
    ).start();
    await processor.waitForHealth(200);
    gateway = await startGateway();
    const adminToken = await tokenFor(gateway.baseUrl, await bootstrapAdmin(db.url));
    caller = await createTenantCaller(gateway.baseUrl, adminToken, run.replace(/\./g, '-'), [
      SCOPES.eventsProduce,
    ]);
  });

  afterAll(async () => {
    await Promise.all([gateway, processor].map((app) => app?.stop()));
    await deleteTestTopics(Object.values(topics));
    await db?.drop();
  });

  it('applies no command answered 503 and every command answered 202 once (or says it did not), across a broker stop and restart under load', async () => {
    const traffic = load(8, () => createUser(newUser()));
    let sent: Sent[];
    try {
      await sleep(2000);
      await devServices.stop('kafka');
      try {
        await sleep(8000);
      } finally {
        await devServices.start('kafka');
      }
      await waitFor(async () => (await createUser(newUser())).status === 202, {
        timeoutMs: 120000,
        intervalMs: 1000,
        what: 'the gateway to accept commands again',
      }).catch(async (error: unknown) => {
        // A gateway that stays down after the broker is back is a bug: say what it was doing.
        throw new Error(`${String(error)}\n${await gateway.postMortem()}`);
      });
      await sleep(2000);
    } finally {
      sent = await traffic.stop();
    }

    const accepted = sent.filter((s) => s.status === 202);
    const refused = sent.filter((s) => s.status === 503);
    const statuses = await Promise.all(
      accepted.map(async (s) => ({ ...s, final: await finalStatus(String(s.correlationId)) })),
    );
    // Whatever a refused command left in Kafka is aborted by now, and the processor has had
    // the time to apply anything it was ever going to.
    await sleep(TRANSACTION_TIMEOUT_MS + GRACE_MS);
    const rows = await rowsPerEmail(sent.map((s) => s.email));

    const refusedApplied = refused.filter((s) => rows.has(s.email));
    const acceptedWrong = statuses.filter((s) => {
      const count = rows.get(s.email) ?? 0;
      if (s.final.status === 'COMPLETED') return count !== 1;
      return count !== 0 || s.final.error?.code !== 'COMMAND.NOT_ACCEPTED';
    });
    console.log(
      `broker outage: ${sent.length} sent, ${accepted.length} answered 202 (${
        statuses.filter((s) => s.final.status === 'COMPLETED').length
      } COMPLETED), ${refused.length} answered 503, ${
        sent.length - accepted.length - refused.length
      } other; 503s applied: ${refusedApplied.length}`,
    );
    expect(refused.length).toBeGreaterThan(0);
    expect(refusedApplied.map((s) => s.email)).toEqual([]);
    expect(acceptedWrong.map((s) => ({ email: s.email, status: s.final }))).toEqual([]);
    expect(sent.every((s) => s.status === 202 || s.status === 503)).toBe(true);
  });

  it('resolves the PENDING statuses of a gateway killed mid-request, and a retry of their Idempotency-Keys applies each command once under the first correlation id', async () => {
    await devServices.stop('kafka');
    let inFlight: Promise<Sent>[] = [];
    const bodies = Array.from({ length: 10 }, () => newUser());
    try {
      // Every request waits for the broker: the gateway is killed while they are all in flight.
      inFlight = bodies.map((user, i) =>
        createUser(user, i % 2 === 0 ? `${run}-kill-${i}` : undefined),
      );
      await sleep(700);
      await gateway.stop('SIGKILL');
    } finally {
      await devServices.start('kafka');
    }
    const answers = await Promise.all(inFlight);
    expect(answers.every((a) => a.status === undefined)).toBe(true);
    const pending = await query<{ correlation_id: string }>(
      "SELECT correlation_id FROM command_status WHERE status = 'PENDING'",
    );
    expect(pending).toHaveLength(bodies.length);
    const claims = await query<{ key: string; correlation_id: string }>(
      'SELECT key, correlation_id FROM idempotency_keys',
    );

    gateway = await startGateway();
    // Nobody will answer them: once past their deadline the statuses resolve, and nothing applied.
    const resolved = await Promise.all(pending.map((p) => finalStatus(p.correlation_id)));
    expect(resolved.map((s) => [s.status, s.error?.code])).toEqual(
      resolved.map(() => ['FAILED', 'COMMAND.NOT_ACCEPTED']),
    );
    expect(await rowsPerEmail(bodies.map((u) => u.email))).toEqual(new Map());

    // The client retries the keyed ones: each is applied now, once, under the id first claimed.
    const keyed = bodies.flatMap((user, i) =>
      i % 2 === 0 ? [{ user, key: `${run}-kill-${i}` }] : [],
    );
    const retried = await Promise.all(keyed.map(({ user, key }) => createUser(user, key)));
    for (const answer of retried) {
      expect(answer.status).toBe(202);
      const claim = claims.find((c) => c.key.endsWith(`:${String(answer.key)}`));
      expect(answer.correlationId).toBe(claim?.correlation_id);
    }
    // All of them at once, whole: a failure shows each status and its error.
    const finals = await Promise.all(retried.map((a) => finalStatus(String(a.correlationId))));
    expect(finals).toEqual(retried.map(() => expect.objectContaining({ status: 'COMPLETED' })));
    const rows = await rowsPerEmail(keyed.map(({ user }) => user.email));
    expect([...rows.values()]).toEqual(keyed.map(() => 1));
  });

  it('applies each keyed command once when the gateway is SIGKILLed under load and the client retries every key', async () => {
    const bodies = new Map<string, ReturnType<typeof newUser>>();
    let next = 0;
    const traffic = load(8, () => {
      next += 1;
      const key = `${run}-load-${next}`;
      const user = newUser();
      bodies.set(key, user);
      return createUser(user, key);
    });
    let firstTry: Sent[];
    try {
      await waitFor(
        async () => (await rowsPerEmail([...bodies.values()].map((u) => u.email))).size >= 50,
        { what: 'commands to be flowing' },
      );
      await gateway.stop('SIGKILL');
    } finally {
      firstTry = await traffic.stop();
    }
    gateway = await startGateway();

    // The client retries every key until it gets an answer (409 while the first attempt's outcome is open).
    const retries = await Promise.all(
      [...bodies.entries()].map(([key, user]) =>
        waitFor(
          async () => {
            const answer = await createUser(user, key);
            return answer.status === 202 ? answer : undefined;
          },
          { timeoutMs: 60000, intervalMs: 500, what: `key ${key} to be accepted` },
        ),
      ),
    );
    const firstAccepted = new Map(
      firstTry.filter((s) => s.status === 202).map((s) => [String(s.key), s.correlationId]),
    );
    for (const retry of retries) {
      const first = firstAccepted.get(String(retry.key));
      if (first) expect(retry.correlationId).toBe(first);
    }
    const statuses = await Promise.all(retries.map((r) => finalStatus(String(r.correlationId))));
    await sleep(TRANSACTION_TIMEOUT_MS);
    const rows = await rowsPerEmail([...bodies.values()].map((u) => u.email));
    const counts = [...bodies.values()].map((u) => rows.get(u.email) ?? 0);
    console.log(
      `gateway SIGKILL under load: ${bodies.size} keys, ${firstAccepted.size} answered 202 before the kill, ${
        firstTry.length - firstAccepted.size
      } cut off; after retries ${counts.filter((c) => c === 1).length} applied once, ${
        counts.filter((c) => c > 1).length
      } more than once, ${counts.filter((c) => c === 0).length} not at all`,
    );
    expect(statuses.every((s) => s.status === 'COMPLETED')).toBe(true);
    expect(counts.every((c) => c === 1)).toBe(true);
  });
});
