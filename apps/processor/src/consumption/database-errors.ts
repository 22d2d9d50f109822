/**
 * Tells a database that cannot be reached (pause and wait for it) from a statement that failed
 * (retry, then dead-letter). Dead-lettering on an outage would throw away every command in flight.
 */
const CONNECTIVITY_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

const CONNECTIVITY_MESSAGES = [
  /connection terminated/i,
  /connection error/i,
  /not queryable/i,
  /timeout exceeded when trying to connect/i,
  /connection (?:is )?(?:closed|ended)/i,
  /query runner already released/i,
  /the database system is (?:starting up|shutting down)/i,
];

export function isConnectivityError(error: unknown): boolean {
  for (const candidate of causes(error)) {
    const code = (candidate as { code?: unknown }).code;
    if (typeof code === 'string' && (CONNECTIVITY_CODES.has(code) || code.startsWith('08')))
      return true;
    const message = (candidate as { message?: unknown }).message;
    if (typeof message === 'string' && CONNECTIVITY_MESSAGES.some((m) => m.test(message)))
      return true;
    if ((candidate as { name?: unknown }).name === 'QueryRunnerAlreadyReleasedError') return true;
  }
  return false;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The error and what it wraps (TypeORM's `driverError`, `cause`, AggregateError members). */
function causes(error: unknown, depth = 0): unknown[] {
  if (error === null || typeof error !== 'object' || depth > 4) return [];
  const nested: unknown[] = [];
  const { driverError, cause, errors } = error as {
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (driverError) nested.push(driverError);
  if (cause) nested.push(cause);
  if (Array.isArray(errors)) nested.push(...errors);
  return [error, ...nested.flatMap((e) => causes(e, depth + 1))];
}
