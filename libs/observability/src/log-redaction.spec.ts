import { Writable } from 'node:stream';
import pino, { type LoggerOptions } from 'pino';
import { loggingOptions, skipRequestRedaction } from './logging.options';
import { scrubLogLine } from './log-redaction';
import { SpanKind, inSpan } from './tracing/spans';
import { startTracing } from './tracing/tracing';

/** A logger configured as the services configure theirs, writing to an array. */
function capturingLogger(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      written.push(chunk.toString());
      callback();
    },
  });
  const options = loggingOptions('spec', 'info').pinoHttp as LoggerOptions;
  const logger = pino(options, stream);
  skipRequestRedaction(logger);
  return {
    logger,
    lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('log lines', () => {
  beforeAll(() => startTracing('redaction-spec', {}));

  it('carry the trace and span ids of the span they are written in', async () => {
    const { logger, lines } = capturingLogger();
    logger.info('outside');
    const ids = await inSpan('work', { kind: SpanKind.INTERNAL }, async (span) => {
      logger.info('inside');
      return span.spanContext();
    });
    const [outside, inside] = lines();
    expect(outside).not.toHaveProperty('traceId');
    expect(inside).toMatchObject({ traceId: ids.traceId, spanId: ids.spanId, message: 'inside' });
  });

  it("name a request by id, method, url and the caller's correlation id, nothing more", () => {
    const { logger, lines } = capturingLogger();
    const headers = { 'x-correlation-id': 'c-1', authorization: 'Bearer abc' };
    const request = { id: 'r-1', method: 'POST', url: '/users', headers };
    logger.child({ req: request }).info('within the request');
    logger.child({ req: { ...request, headers: {} } }).info('without a correlation id');
    const [withId, withoutId] = lines();
    expect(withId?.['req']).toEqual({
      id: 'r-1',
      method: 'POST',
      url: '/users',
      correlationId: 'c-1',
    });
    expect(withoutId?.['req']).toEqual({ id: 'r-1', method: 'POST', url: '/users' });
  });

  it('bind a request without anything below its fields, so it needs no key-based redaction', () => {
    const { logger, lines } = capturingLogger();
    const id = { email: 'ana@example.com', name: 'Ana Souza' };
    const headers = { 'x-correlation-id': ['c-1', 'c-2'], authorization: 'Bearer abcdefgh1' };
    logger.child({ req: { id, method: 'POST', url: '/users?token=abc123', headers } }).info('x');
    const line = JSON.stringify(lines()[0]);
    for (const secret of ['ana@example.com', 'Ana Souza', 'abc123', 'Bearer']) {
      expect(line).not.toContain(secret);
    }
    expect(lines()[0]?.['req']).toEqual({
      id: '[object Object]',
      method: 'POST',
      url: '/users?[redacted]',
      correlationId: 'c-1',
    });
  });

  it('redact credentials and personal data by key', () => {
    const { logger, lines } = capturingLogger();
    logger.info(
      {
        req: { headers: { authorization: 'Bearer abc', cookie: 'session=1' } },
        client_secret: 's3cr3t-value',
        command: { email: 'ana@example.com', cpf: '52998224725', name: 'Ana Souza' },
        userId: 'u-1',
      },
      'command received',
    );
    const line = JSON.stringify(lines()[0]);
    for (const secret of [
      'Bearer abc',
      'session=1',
      's3cr3t-value',
      'ana@example.com',
      '52998224725',
      'Ana Souza',
    ])
      expect(line).not.toContain(secret);
    expect(lines()[0]).toMatchObject({ userId: 'u-1', command: { name: '[redacted]' } });
  });

  it('scrub tokens, secrets, e-mails and CPFs wherever they appear in the text', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjbGllbnQifQ.c2lnbmF0dXJl';
    const { logger, lines } = capturingLogger();
    logger.warn(
      `rejected ${jwt} from ana.souza+x@example.com.br, CPF 529.982.247-25 and 52998224725, ` +
        'url /oauth/token?client_secret=abc123&grant_type=client_credentials, header Bearer abcdefgh12345',
    );
    const message = String(lines()[0]?.['message']);
    for (const secret of [
      jwt,
      'ana.souza',
      'example.com',
      '529.982.247-25',
      '52998224725',
      'abc123',
      'abcdefgh12345',
    ])
      expect(message).not.toContain(secret);
    expect(message).toContain('grant_type=client_credentials');
  });

  it('leave ids, trace ids, timestamps and offsets alone', () => {
    const line = JSON.stringify({
      time: '2026-12-06T13:00:00.000Z',
      traceId: 'ab12345678901cd2345678901234abcd',
      requestId: '0f8fad5b-d9cb-469f-a165-70867728950e',
      offset: '1234',
      epochMs: 1765022400000,
    });
    expect(scrubLogLine(line)).toBe(line);
  });
});
