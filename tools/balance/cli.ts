/**
 * Balance CLI for operators (seed 003's producers, made safe): sets a balance through the
 * gateway's audited adjustment route, never by writing to the balance topic.
 *
 *   npm run balance -- set <accountId> <balance> --reason <text>
 *   npm run balance -- interactive
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import {
  parseAccountId,
  parseBalance,
  parseCommandLine,
  parseCredentials,
  parseGatewayUrl,
  parseReason,
  USAGE,
  UsageError,
  type BalanceCommandLine,
} from './balance-commands';
import {
  GatewayAdjustments,
  type AdjustmentAnswer,
  type ClientCredentials,
} from './gateway-adjustments';

const DEFAULT_GATEWAY = 'http://127.0.0.1:8000';

function credentialsOf(line: BalanceCommandLine): ClientCredentials {
  if (line.credentials) {
    return parseCredentials(readFileSync(line.credentials, 'utf8'), line.credentials);
  }
  const clientId = process.env['BALANCE_CLIENT_ID'];
  const clientSecret = process.env['BALANCE_CLIENT_SECRET'];
  if (!clientId || !clientSecret) {
    throw new UsageError(
      'no credentials: pass --credentials <file> or set BALANCE_CLIENT_ID and BALANCE_CLIENT_SECRET ' +
        '(an API client with the admin scope: npm run admin -- bootstrap-admin)',
    );
  }
  return { clientId, clientSecret };
}

/** Prints the answer; true when the gateway took the adjustment. */
function report(answer: AdjustmentAnswer, json: boolean): boolean {
  const ok = answer.status >= 200 && answer.status < 300;
  const text = json
    ? JSON.stringify({ status: answer.status, body: answer.body })
    : `${ok ? 'ok' : 'refused'} (HTTP ${answer.status}): ${JSON.stringify(answer.body)}`;
  (ok ? process.stdout : process.stderr).write(`${text}\n`);
  return ok;
}

async function interactive(gateway: GatewayAdjustments, json: boolean): Promise<number> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  let failures = 0;
  try {
    for (;;) {
      const account = (await prompt.question('account id (empty to quit): ')).trim();
      if (account === '') return failures === 0 ? 0 : 1;
      try {
        const accountId = parseAccountId(account);
        const balance = parseBalance(await prompt.question('new balance: '));
        const reason = parseReason(await prompt.question('reason: '));
        if (!report(await gateway.adjust(accountId, balance, reason), json)) failures++;
      } catch (error) {
        // A typo is asked again, not fatal: the loop goes on.
        if (!(error instanceof UsageError)) throw error;
        process.stderr.write(`error: ${error.message}\n`);
      }
    }
  } catch (error) {
    // Ctrl-D closes stdin mid-question: end like an empty account.
    if (error instanceof Error && 'code' in error && error.code === 'ABORT_ERR') return 0;
    throw error;
  } finally {
    prompt.close();
  }
}

async function main(argv: string[]): Promise<number> {
  let line: BalanceCommandLine;
  let gateway: GatewayAdjustments;
  try {
    line = parseCommandLine(argv);
    if (line.action.command === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const baseUrl =
      line.gateway ?? parseGatewayUrl(process.env['BALANCE_GATEWAY_URL'] || DEFAULT_GATEWAY);
    gateway = new GatewayAdjustments(baseUrl, credentialsOf(line));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  const { action } = line;
  if (action.command === 'interactive') return interactive(gateway, line.json);
  if (action.command !== 'set') return 2;
  const answer = await gateway.adjust(action.accountId, action.balance, action.reason);
  return report(answer, line.json) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
