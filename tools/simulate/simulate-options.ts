import { parseArgs } from 'node:util';
import { parseGatewayUrl, UsageError } from '../balance/balance-commands';

export { UsageError };

/** One run of the simulator, as the command line and the environment asked for it. */
export interface SimulateOptions {
  /** Payments offered per second. */
  rate: number;
  /** Seconds during which payments are sent. */
  durationSeconds: number;
  /** Accounts opened (one user each) before the first payment. */
  accounts: number;
  gateway: string;
  /** JSON file with the tenant client's credentials (events:produce); else env or the demo client. */
  credentials?: string;
  /** JSON file with an admin client's credentials (deposits); else env. */
  operatorCredentials?: string;
  /** What each account is credited with before the payments, a decimal string. */
  deposit: string;
  /** Requests in flight at most: beyond it the simulator falls behind the rate and says so. */
  concurrency: number;
  /** How long a payment may take to settle or be rejected after the last one was sent. */
  settleTimeoutSeconds: number;
  help: boolean;
}

export const USAGE = `Usage: npm run simulate -- [options]

Opens accounts (one user each, an EVP and an e-mail PIX key, an operator deposit), then sends PIX
payments between random accounts through the gateway (POST /pix/payments with an Idempotency-Key)
at a fixed rate, polls each until it is settled or rejected, and prints a progress line every
second and a summary: sent, settled, rejected by code, p50/p99 request→settled.

Options:
  --rate <n>                payments per second (default 50)
  --duration <s>            seconds of sending (default 60)
  --accounts <n>            accounts to open first, at least 2 (default 1000)
  --gateway <url>           default: SIMULATE_GATEWAY_URL, else http://127.0.0.1:<GATEWAY_PORT of .env>
  --credentials <file>      JSON {clientId, clientSecret} of a tenant client with events:produce;
                            default: SIMULATE_CLIENT_ID / SIMULATE_CLIENT_SECRET, else the demo
                            client \`npm start\` writes (.dev-services/auth/demo-client.json)
  --operator-credentials <file>
                            JSON {clientId, clientSecret} of a client with the admin scope, for the
                            deposits (\`npm run admin -- bootstrap-admin --json\`); default:
                            SIMULATE_OPERATOR_CLIENT_ID / SIMULATE_OPERATOR_CLIENT_SECRET
  --deposit <amount>        credited to each account (default 1000.00)
  --concurrency <n>         requests in flight at most (default 64)
  --settle-timeout <s>      wait for outcomes after the last payment (default 60)
  -h, --help

Exit status 1 on an answer it did not expect (any non-2xx, a FAILED setup command) or a payment
with no outcome within the timeout; a rejection by antifraud or for insufficient funds is an
outcome, counted by its code.`;

const OPTIONS = {
  rate: { type: 'string' },
  duration: { type: 'string' },
  accounts: { type: 'string' },
  gateway: { type: 'string' },
  credentials: { type: 'string' },
  'operator-credentials': { type: 'string' },
  deposit: { type: 'string' },
  concurrency: { type: 'string' },
  'settle-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const AMOUNT = /^(0|[1-9]\d{0,15})(\.\d{1,2})?$/;

/** `GATEWAY_PORT` of a .env file's text, if set there. */
export function gatewayPortOf(dotenv: string): string | undefined {
  return /^GATEWAY_PORT=(\d+)\s*$/m.exec(dotenv)?.[1];
}

/**
 * Reads `argv` (without node and the script); `env` supplies SIMULATE_GATEWAY_URL and
 * GATEWAY_PORT (the .env's, merged by the caller). Throws {@link UsageError} naming the option.
 */
export function parseSimulateArgs(
  argv: string[],
  env: Record<string, string | undefined>,
): SimulateOptions {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const gateway =
    values.gateway ??
    env['SIMULATE_GATEWAY_URL'] ??
    `http://127.0.0.1:${env['GATEWAY_PORT'] ?? '8000'}`;
  const deposit = values.deposit ?? '1000.00';
  if (!AMOUNT.test(deposit) || Number(deposit) <= 0) {
    throw new UsageError(
      `--deposit must be a decimal above 0 with at most 2 decimals: ${JSON.stringify(deposit)}`,
    );
  }
  return {
    rate: positive('--rate', values.rate, 50),
    durationSeconds: positive('--duration', values.duration, 60),
    accounts: integer('--accounts', values.accounts, 1000, 2),
    gateway: parseGatewayUrl(gateway),
    ...(values.credentials === undefined ? {} : { credentials: values.credentials }),
    ...(values['operator-credentials'] === undefined
      ? {}
      : { operatorCredentials: values['operator-credentials'] }),
    deposit,
    concurrency: integer('--concurrency', values.concurrency, 64, 1),
    settleTimeoutSeconds: positive('--settle-timeout', values['settle-timeout'], 60),
    help: values.help,
  };
}

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`${name} must be a number above 0: ${JSON.stringify(text)}`);
  }
  return value;
}

function integer(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < min) {
    throw new UsageError(
      `${name} must be a whole number of at least ${min}: ${JSON.stringify(text)}`,
    );
  }
  return value;
}
