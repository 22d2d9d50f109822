import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { stdTimeFunctions, symbols, type Logger } from 'pino';
import { REDACTED, REDACTED_LOG_PATHS, scrubLogLine } from './log-redaction';
import { activeTraceFields } from './tracing/spans';

/** Routes too frequent to log on every request (probes and scrapes). */
const QUIET_ROUTES = ['health', 'metrics'];

/** Levels at which a successful request's "request completed" line is written. */
const VERBOSE_LEVELS = new Set(['debug', 'trace']);

/**
 * Structured JSON logs on stdout: one object per line with `service`, ISO `time`, textual `level`
 * and `message`; a line written while serving a request carries `req`: its id (Fastify's, from
 * `x-request-id` when the client sent one), method, url, and the `x-correlation-id` the client
 * sent, if any. A line written within a span carries its `traceId` and `spanId`. Credentials
 * and personal data are redacted: by key where they are expected (REDACTED_LOG_PATHS), by pattern
 * anywhere else in the line (scrubLogLine).
 *
 * A request that fails (4xx `warn`, 5xx or error `error`) is always logged; a successful one only at
 * `debug`: serializing and synchronously writing a line per request was among the gateway's
 * largest costs per command (CPU profile under `bench:commands`), and the metrics count successes.
 * The correlation id is part of the `req` serializer rather than pino-http's `customProps`: those
 * made a second child logger per request (even an empty one), and creating child loggers (level
 * methods, formatters, redacted bindings) was itself ~9 % of the gateway's CPU per command.
 */
export function loggingOptions(service: string, level: string): Params {
  const successLevel = VERBOSE_LEVELS.has(level) ? 'debug' : 'silent';
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
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, error?: Error) => {
        if (error || res.statusCode >= 500) return 'error';
        return res.statusCode >= 400 ? 'warn' : successLevel;
      },
      serializers: {
        req: (req: LoggedRequest) => {
          const correlationId = headerValue(req, 'x-correlation-id');
          return {
            id: scalar(req.id),
            method: scalar(req.method),
            url: scalar(req.url),
            ...(correlationId ? { correlationId: scalar(correlationId) } : {}),
          };
        },
        res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
      },
    },
  };
}

/**
 * Writes the `req` of a line (or a child logger's bindings) without the key-based redaction, for
 * a logger made from {@link loggingOptions}. Its serializer keeps only the request id, method, url
 * and correlation id, each a string or a number with nothing below it, where no redacted key can
 * be; yet @pinojs/redact parsed and tried its ~50 paths (`*.email`, `*.*.email`, …) on it for every
 * request, as pino-http binds `req` to each request's child logger (~2.5 % of the gateway's CPU
 * per command in a profile). Every other key is redacted as before, and scrubLogLine still runs
 * on every line (the url's query included).
 */
export function skipRequestRedaction(logger: Logger): void {
  const internals = logger as unknown as Record<symbol, Record<string, unknown>>;
  const stringifiers = internals[symbols.stringifiersSym];
  if (stringifiers !== undefined) stringifiers['req'] = internals[symbols.stringifySym];
}

/** A field of the `req` serializer as a scalar: any object becomes its string. */
function scalar(value: unknown): unknown {
  if (value === undefined || typeof value === 'string' || typeof value === 'number') return value;
  return String(value);
}

/** A request as pino-http binds it, or a `req` object a line logs by hand (maybe without headers). */
interface LoggedRequest {
  id?: string;
  method?: string;
  url?: string;
  headers?: IncomingHttpHeaders;
}

function headerValue(req: LoggedRequest, name: string): string | undefined {
  const value = req.headers?.[name];
  return Array.isArray(value) ? value[0] : value;
}
