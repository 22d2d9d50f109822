import { parseArgs } from 'node:util';

/** One parsed command line of the balance CLI. */
export type BalanceCommand =
  | { command: 'set'; accountId: string; balance: string; reason: string }
  | { command: 'interactive' }
  | { command: 'help' };

export interface BalanceCommandLine {
  action: BalanceCommand;
  /** The gateway's base URL (`--gateway`, else BALANCE_GATEWAY_URL, else http://127.0.0.1:8000). */
  gateway?: string;
  /** A JSON file with `clientId` and `clientSecret` (what `npm run admin -- bootstrap-admin --json` prints). */
  credentials?: string;
  json: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: npm run balance -- <command> [options]

Sets account balances through the gateway's audited adjustment route
(POST /accounts/:id/adjustments, scope admin), never by writing to the balance topic.

Commands:
  set <accountId> <balance> --reason <text>
                          sets the account's balance to <balance> (a decimal such as 150 or
                          150.00, at most two fraction digits)
  interactive             asks for account, balance and reason in a loop (empty account: quit)

Options:
  --gateway <url>         default: BALANCE_GATEWAY_URL or http://127.0.0.1:8000
  --credentials <file>    JSON {clientId, clientSecret} of an API client with the admin scope;
                          default: BALANCE_CLIENT_ID and BALANCE_CLIENT_SECRET
  --json                  print the gateway's answer as JSON
  -h, --help`;

const OPTIONS = {
  reason: { type: 'string' },
  gateway: { type: 'string' },
  credentials: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const ACCOUNT_ID = /^[^\s/?#]{1,200}$/;
const DECIMAL = /^(-?)(0|[1-9][0-9]{0,15})(?:\.([0-9]{1,2}))?$/;
const MAX_REASON = 500;

/** The account id as the route takes it; throws {@link UsageError} naming what is wrong. */
export function parseAccountId(text: string): string {
  const id = text.trim();
  if (!ACCOUNT_ID.test(id)) {
    throw new UsageError(
      `account id must be 1-200 characters without spaces, "/", "?" or "#": ${JSON.stringify(text)}`,
    );
  }
  return id;
}

/** A balance as an exact decimal string with two fraction digits (`150` → `150.00`), never a float. */
export function parseBalance(text: string): string {
  const match = DECIMAL.exec(text.trim().replace(',', '.'));
  if (!match) {
    throw new UsageError(
      `balance must be a decimal such as 150 or 150.00 (at most two fraction digits): ${JSON.stringify(text)}`,
    );
  }
  const [, sign = '', whole = '0', fraction = ''] = match;
  const normalized = `${whole}.${fraction.padEnd(2, '0')}`;
  return sign && /[1-9]/.test(normalized) ? `-${normalized}` : normalized;
}

export function parseReason(text: string | undefined): string {
  const reason = text?.trim() ?? '';
  if (reason.length === 0)
    throw new UsageError('a reason is required (--reason <text>): adjustments are audited');
  if (reason.length > MAX_REASON)
    throw new UsageError(`reason must be at most ${MAX_REASON} characters`);
  return reason;
}

/** Reads `argv` (without node and the script); throws {@link UsageError} on any mistake. */
export function parseCommandLine(argv: string[]): BalanceCommandLine {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const common = {
    ...(values.gateway === undefined ? {} : { gateway: parseGatewayUrl(values.gateway) }),
    ...(values.credentials === undefined ? {} : { credentials: values.credentials }),
    json: values.json,
  };
  const [command, ...args] = positionals;
  if (values.help || command === undefined || command === 'help') {
    return { action: { command: 'help' }, ...common };
  }
  if (command === 'set') {
    if (args.length !== 2) throw new UsageError('set takes <accountId> <balance>');
    const [accountId = '', balance = ''] = args;
    return {
      action: {
        command: 'set',
        accountId: parseAccountId(accountId),
        balance: parseBalance(balance),
        reason: parseReason(values.reason),
      },
      ...common,
    };
  }
  if (command === 'interactive') {
    if (args.length > 0) throw new UsageError('interactive takes no arguments');
    if (values.reason !== undefined) throw new UsageError('interactive asks for each reason');
    return { action: { command: 'interactive' }, ...common };
  }
  throw new UsageError(`unknown command ${JSON.stringify(command)}`);
}

export function parseGatewayUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`gateway must be an http(s) URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`gateway must be an http(s) URL: ${JSON.stringify(text)}`);
  }
  return url.origin;
}

/** Client credentials from a JSON file's text; throws {@link UsageError} when they are not there. */
export function parseCredentials(
  text: string,
  source: string,
): { clientId: string; clientSecret: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${source} is not JSON`);
  }
  const record = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  const { clientId, clientSecret } = record;
  if (
    typeof clientId !== 'string' ||
    !clientId ||
    typeof clientSecret !== 'string' ||
    !clientSecret
  ) {
    throw new UsageError(`${source} must hold "clientId" and "clientSecret"`);
  }
  return { clientId, clientSecret };
}
