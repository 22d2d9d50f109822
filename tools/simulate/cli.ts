/**
 * `npm run simulate -- --rate 50 --duration 60 [--accounts 1000]`: PIX traffic against a running
 * platform (`npm start`), through the gateway with real client-credentials tokens. Options and
 * environment: `npm run simulate -- --help` (USAGE in simulate-options.ts).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCredentials } from '../balance/balance-commands';
import { HttpClient } from '../bench/proxy/http-client';
import { callerFor } from '../bench/proxy/platform';
import { openAccounts } from './account-setup';
import { sendsIn } from './pacing';
import { PaymentTally, progressLine, runProblems, summaryLines } from './payment-tally';
import { sendPayments } from './payment-traffic';
import { PixPlatform } from './pix-platform';
import { SettlementPoller } from './settlement-poller';
import {
  gatewayPortOf,
  parseSimulateArgs,
  USAGE,
  UsageError,
  type SimulateOptions,
} from './simulate-options';

const REPO_ROOT = join(__dirname, '../..');
const DEMO_CLIENT = join(REPO_ROOT, '.dev-services/auth/demo-client.json');

interface Credentials {
  clientId: string;
  clientSecret: string;
}

/** A credentials file if given, else the two variables, else `fallback` (or a usage error). */
function credentials(
  file: string | undefined,
  idVariable: string,
  secretVariable: string,
  fallback: () => Credentials,
): Credentials {
  if (file !== undefined) return parseCredentials(readFileSync(file, 'utf8'), file);
  const clientId = process.env[idVariable];
  const clientSecret = process.env[secretVariable];
  if (clientId && clientSecret) return { clientId, clientSecret };
  return fallback();
}

function tenantClient(options: SimulateOptions): Credentials {
  return credentials(options.credentials, 'SIMULATE_CLIENT_ID', 'SIMULATE_CLIENT_SECRET', () => {
    try {
      return parseCredentials(readFileSync(DEMO_CLIENT, 'utf8'), DEMO_CLIENT);
    } catch {
      throw new UsageError(
        `no tenant client: pass --credentials <file>, set SIMULATE_CLIENT_ID and SIMULATE_CLIENT_SECRET, or run \`npm start\` (it writes ${DEMO_CLIENT})`,
      );
    }
  });
}

function operatorClient(options: SimulateOptions): Credentials {
  return credentials(
    options.operatorCredentials,
    'SIMULATE_OPERATOR_CLIENT_ID',
    'SIMULATE_OPERATOR_CLIENT_SECRET',
    () => {
      throw new UsageError(
        'no operator client for the deposits: pass --operator-credentials <file> or set ' +
          'SIMULATE_OPERATOR_CLIENT_ID and SIMULATE_OPERATOR_CLIENT_SECRET (a client with the admin ' +
          'scope: npm run admin -- bootstrap-admin --json > admin.json)',
      );
    },
  );
}

function dotenvGatewayPort(): string | undefined {
  try {
    return gatewayPortOf(readFileSync(join(REPO_ROOT, '.env'), 'utf8'));
  } catch {
    return undefined;
  }
}

async function simulate(options: SimulateOptions): Promise<number> {
  const runId = randomBytes(4).toString('hex');
  const http = new HttpClient(options.gateway, options.concurrency);
  try {
    const [caller, operator] = await Promise.all([
      callerFor(http, tenantClient(options)),
      callerFor(http, operatorClient(options)),
    ]);
    const platform = new PixPlatform(http, caller, operator, runId);
    console.log(
      `simulate ${runId}: ${options.accounts} accounts, then ${options.rate} payments/s for ` +
        `${options.durationSeconds} s through ${options.gateway}`,
    );
    const setupStarted = Date.now();
    let lastShown = 0;
    const accounts = await openAccounts(
      platform,
      options.accounts,
      options.deposit,
      Math.min(options.concurrency, 32),
      (opened) => {
        if (opened === options.accounts || Date.now() - lastShown >= 1000) {
          lastShown = Date.now();
          console.log(`  accounts opened ${opened}/${options.accounts}`);
        }
      },
    );
    console.log(`  accounts ready in ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`);

    const tally = new PaymentTally();
    const poller = new SettlementPoller(platform, tally);
    const startedAt = Date.now();
    const progress = setInterval(
      () => console.log(progressLine(tally.summary(), (Date.now() - startedAt) / 1000)),
      1000,
    );
    let sendSeconds: number;
    try {
      const paced = await sendPayments(platform, accounts, tally, {
        rate: options.rate,
        total: sendsIn(options.rate, options.durationSeconds),
        maxInFlight: options.concurrency,
        runId,
        onAccepted: (id, sentAt) => poller.track(id, sentAt),
      });
      sendSeconds = paced.elapsedMs / 1000;
      if (paced.late > 0) {
        console.log(
          `  ${paced.late} payments started over 100 ms late (${options.concurrency} requests in flight at most)`,
        );
      }
      await poller.drain(options.settleTimeoutSeconds * 1000);
    } finally {
      clearInterval(progress);
      poller.stop();
    }
    const summary = tally.summary();
    console.log('summary');
    for (const line of summaryLines(summary, sendSeconds)) console.log(`  ${line}`);
    const problems = runProblems(summary);
    for (const problem of problems) console.error(`error: ${problem}`);
    return problems.length > 0 ? 1 : 0;
  } finally {
    http.close();
  }
}

async function main(): Promise<number> {
  const options = parseSimulateArgs(process.argv.slice(2), {
    ...process.env,
    GATEWAY_PORT: process.env['GATEWAY_PORT'] ?? dotenvGatewayPort(),
  });
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  return simulate(options);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    if (error instanceof UsageError) console.error(`\n${USAGE}`);
    process.exit(1);
  },
);
