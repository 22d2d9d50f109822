import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';

/** Routes too frequent to log on every request (probes and scrapes). */
const QUIET_ROUTES = new Set(['/health', '/metrics']);

/**
 * Structured JSON logs on stdout: one object per line with `service`, ISO `time`, textual `level`
 * and `message`; request logs carry the request id and the correlation id when the client sent one.
 */
export function loggingOptions(service: string, level: string): Params {
  return {
    pinoHttp: {
      level,
      base: { service },
      messageKey: 'message',
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label: string) => ({ level: label }) },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
      genReqId: (req: IncomingMessage) => headerValue(req, 'x-request-id') ?? randomUUID(),
      customProps: (req: IncomingMessage) => {
        const correlationId = headerValue(req, 'x-correlation-id');
        return correlationId ? { correlationId } : {};
      },
      autoLogging: { ignore: (req: IncomingMessage) => QUIET_ROUTES.has(pathOf(req.url)) },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
        }),
        res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      },
    },
  };
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0] ?? '';
}
