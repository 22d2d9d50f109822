import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { stdTimeFunctions } from 'pino';
import { REDACTED, REDACTED_LOG_PATHS, scrubLogLine } from './log-redaction';
import { activeTraceFields } from './tracing/spans';

/** Routes too frequent to log on every request (probes and scrapes). */
const QUIET_ROUTES = ['health', 'metrics'];

/**
 * Structured JSON logs on stdout: one object per line with `service`, ISO `time`, textual `level`
 * and `message`; request logs carry the request id (Fastify's, from `x-request-id` when the client
 * sent one) and the correlation id when the client sent one. A line written within a span carries
 * its `traceId` and `spanId`. Credentials and personal data are redacted: by key where they are
 * expected (REDACTED_LOG_PATHS), by pattern anywhere else in the line (scrubLogLine).
 */
export function loggingOptions(service: string, level: string): Params {
  return {
    exclude: QUIET_ROUTES.map((path) => ({ method: RequestMethod.ALL, path })),
    pinoHttp: {
      level,
      base: { service },
      messageKey: 'message',
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label: string) => ({ level: label }) },
      redact: { paths: [...REDACTED_LOG_PATHS], censor: REDACTED },
      mixin: activeTraceFields,
      hooks: { streamWrite: scrubLogLine },
      customProps: (req: IncomingMessage) => {
        const correlationId = headerValue(req, 'x-correlation-id');
        return correlationId ? { correlationId } : {};
      },
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
