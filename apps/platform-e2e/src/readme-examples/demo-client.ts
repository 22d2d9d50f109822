import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../support/app-process';

const run = promisify(execFile);

/** Where the README tells the reader `npm start` left the demo client, from the checkout's root. */
export const DEMO_CLIENT_FILE = '.dev-services/auth/demo-client.json';

/** The scopes `npm start` gives the demo client, read from the script so they cannot drift apart. */
async function startScriptScopes(): Promise<string> {
  const script = await readFile(join(REPO_ROOT, 'tools/scripts/start.sh'), 'utf8');
  const scopes = /create-client demo[\s\S]*?--scopes "([^"]+)"/.exec(script)?.[1];
  if (!scopes)
    throw new Error('tools/scripts/start.sh no longer creates the demo client with --scopes');
  return scopes;
}

function adminCli(databaseUrl: string, args: string[]): Promise<{ stdout: string }> {
  return run(process.execPath, ['-r', '@swc-node/register', 'tools/admin/cli.ts', ...args], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      SWC_NODE_PROJECT: 'tools/bench/tsconfig.json',
    },
  });
}

/**
 * A demo tenant and client made as `npm start` makes them (the admin CLI, the same scopes),
 * written where the README's Tokens example reads them, under `checkout` instead of the repo.
 */
export async function writeDemoClient(
  databaseUrl: string,
  tenantId: string,
  checkout: string,
): Promise<void> {
  const scopes = await startScriptScopes();
  await adminCli(databaseUrl, ['create-tenant', tenantId, '--name', 'Demo tenant']);
  const { stdout } = await adminCli(databaseUrl, [
    'create-client',
    tenantId,
    '--name',
    'demo',
    '--json',
    '--scopes',
    scopes,
  ]);
  const file = join(checkout, DEMO_CLIENT_FILE);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, stdout, { mode: 0o600 });
}
