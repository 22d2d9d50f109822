import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import {
  bootstrapAdmin,
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  randomCpf,
  uniqueName,
  waitFor,
  type ClientCredentials,
  type TestDatabase,
} from '@event-hub/testing';
import { SCOPES } from '@event-hub/auth';
import { AppProcess } from './support/app-process';
import {
  pipelineGatewayEnv,
  pipelineProcessorEnv,
  pipelineTopics,
} from './support/command-pipeline';
import { createTenantCaller, tokenFor, type TenantCaller } from './support/platform-clients';

/** One span as an OTLP/HTTP JSON export carries it, with the service that sent it. */
interface ExportedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
}

const SPAN_KIND = { server: 2, producer: 4, consumer: 5 } as const;

interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans?: { spans?: Omit<ExportedSpan, 'service'>[] }[];
  }[];
}

/**
 * Stands in for Jaeger's OTLP/HTTP receiver (a collector is outside the product): keeps every
 * span the apps export, in the JSON encoding @opentelemetry/exporter-trace-otlp-http sends.
 */
function otlpReceiver(port: number): Promise<{ server: Server; spans: ExportedSpan[] }> {
  const spans: ExportedSpan[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
        for (const resource of body.resourceSpans ?? []) {
          const service =
            resource.resource?.attributes?.find((a) => a.key === 'service.name')?.value
              .stringValue ?? '?';
          for (const scope of resource.scopeSpans ?? [])
            for (const span of scope.spans ?? []) spans.push({ ...span, service });
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => resolve({ server, spans })),
  );
}

/**
 * Tracing and log hygiene across the built apps: a command's trace runs from the gateway's HTTP
 * span through the processor to the gateway's recording of the reply (joined only by the
 * traceparent headers of the Kafka records), its id is in both apps' log lines, and no token,
 * secret or personal value of the flow is in any log line.
 */
describe('one trace per command, and logs without secrets', () => {
  const run = uniqueName('e2e-tracing');
  const topics = pipelineTopics(run);
  const RECEIVER_PORT = 18490;
  let receiver: { server: Server; spans: ExportedSpan[] };
  let db: TestDatabase;
  let gateway: AppProcess;
  let processor: AppProcess;
  let admin: ClientCredentials;
  let adminToken: string;
  let caller: TenantCaller;

  const exporting = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${RECEIVER_PORT}` };

  beforeAll(async () => {
    receiver = await otlpReceiver(RECEIVER_PORT);
    db = await createTestDatabase('e2e_tracing');
    await createTestTopics([topics.commands, topics.replies, topics.dlq], 1);
    processor = new AppProcess('processor', 18491, {
      ...pipelineProcessorEnv(db.url, run, topics),
      ...exporting,
      // Debug: the processor then logs each domain event, within its command's trace.
      LOG_LEVEL: 'debug',
    }).start();
    await processor.waitForHealth(200);
    gateway = new AppProcess('gateway', 18492, {
      ...pipelineGatewayEnv(db.url, run, topics),
      ...exporting,
      // Debug: a successful request's line is written only then (failures always are).
      LOG_LEVEL: 'debug',
    }).start();
    await gateway.waitForHealth(200);
    admin = await bootstrapAdmin(db.url);
    adminToken = await tokenFor(gateway.baseUrl, admin);
    caller = await createTenantCaller(gateway.baseUrl, adminToken, run.replace(/\./g, '-'), [
      SCOPES.eventsProduce,
    ]);
  });

  afterAll(async () => {
    await Promise.all([gateway, processor].map((app) => app?.stop()));
    await new Promise((resolve) => receiver?.server.close(resolve));
    await deleteTestTopics(Object.values(topics));
    await db?.drop();
  });

  it('follows a command from the HTTP request through the processor to the recorded reply', async () => {
    const user = {
      name: 'Ana Rastreada Souza',
      email: `${run}@example.com`,
      document: randomCpf(),
    };
    const response = await fetch(`${gateway.baseUrl}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...caller.headers },
      body: JSON.stringify(user),
    });
    expect(response.status).toBe(202);
    const { correlationId } = (await response.json()) as { correlationId: string };
    const [, traceId] = /^00-([\da-f]{32})-[\da-f]{16}-01$/.exec(
      response.headers.get('traceresponse') ?? '',
    ) ?? [undefined, undefined];
    expect(traceId).toBeDefined();

    await waitFor(
      async () => {
        const status = await fetch(`${gateway.baseUrl}/status/${correlationId}`, {
          headers: caller.headers,
        });
        const body = (await status.json()) as { status: string };
        return body.status === 'COMPLETED' ? body : undefined;
      },
      { timeoutMs: 60000, intervalMs: 100, what: `command ${correlationId} to complete` },
    );

    // Spans are exported in batches (every 5 s): wait for the last one of the chain.
    const inTrace = (): ExportedSpan[] => receiver.spans.filter((s) => s.traceId === traceId);
    const find = (service: string, kind: number, name: string) =>
      inTrace().find((s) => s.service === service && s.kind === kind && s.name === name);
    const chain = () => ({
      request: find('gateway', SPAN_KIND.server, 'POST /users'),
      commandSent: find('gateway', SPAN_KIND.producer, `${topics.commands} publish`),
      commandHandled: find('processor', SPAN_KIND.consumer, `${topics.commands} process`),
      replySent: find('processor', SPAN_KIND.producer, `${topics.replies} publish`),
      replyRecorded: find('gateway', SPAN_KIND.consumer, `${topics.replies} process`),
    });
    const spans = await waitFor(
      async () => {
        const found = chain();
        return Object.values(found).every(Boolean) ? found : undefined;
      },
      { timeoutMs: 30000, intervalMs: 200, what: 'every span of the chain to be exported' },
    ).catch((error: unknown) => {
      const exported = inTrace().map((s) => `${s.service}: ${s.name} (${s.kind})`);
      throw new Error(`${String(error)}; exported in the trace: ${exported.join(', ')}`);
    });
    const { request, commandSent, commandHandled, replySent, replyRecorded } = spans;
    // Each span is the child of the one before it: the chain crosses the processes only through
    // the records' traceparent headers.
    expect({
      request: request?.parentSpanId || undefined,
      commandSent: commandSent?.parentSpanId,
      commandHandled: commandHandled?.parentSpanId,
      replySent: replySent?.parentSpanId,
      replyRecorded: replyRecorded?.parentSpanId,
    }).toEqual({
      request: undefined,
      commandSent: request?.spanId,
      commandHandled: commandSent?.spanId,
      replySent: commandHandled?.spanId,
      replyRecorded: replySent?.spanId,
    });

    // Credentials where careless clients put them: a secret in a token request's body, a token in
    // a query string (the request line logs the URL), a token that is refused.
    await fetch(`${gateway.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: caller.clientId,
        client_secret: caller.clientSecret,
      }).toString(),
    });
    await fetch(`${gateway.baseUrl}/status/${correlationId}?access_token=${caller.token}`, {
      headers: caller.headers,
    });
    await fetch(`${gateway.baseUrl}/status/${correlationId}`, {
      headers: { authorization: `Bearer ${caller.token}x` },
    });

    await Promise.all([gateway.stop(), processor.stop()]);
    const lines = (app: AppProcess) =>
      readFileSync(app.logFile, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    // The gateway's request line and the processor's domain event line of this command.
    expect(lines(gateway)).toContainEqual(
      expect.objectContaining({ traceId, req: expect.objectContaining({ url: '/users' }) }),
    );
    expect(lines(processor)).toContainEqual(
      expect.objectContaining({ traceId, correlationId, event: expect.any(String) }),
    );

    const logs = [gateway, processor].map((app) => readFileSync(app.logFile, 'utf8')).join('\n');
    const cpf = user.document;
    const punctuatedCpf = `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;
    for (const secret of [
      caller.token,
      caller.clientSecret,
      adminToken,
      admin.clientSecret,
      user.email,
      cpf,
      punctuatedCpf,
      user.name,
    ])
      expect(logs).not.toContain(secret);
  });
});
