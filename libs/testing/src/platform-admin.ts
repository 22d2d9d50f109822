import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO_ROOT = join(__dirname, '../../..');

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * The platform's first admin client, made the way an operator makes it: `npm run admin --
 * bootstrap-admin` against the database a gateway uses (which must have migrated it).
 */
export async function bootstrapAdmin(databaseUrl: string): Promise<ClientCredentials> {
  const { stdout } = await run(
    process.execPath,
    ['-r', '@swc-node/register', 'tools/admin/cli.ts', 'bootstrap-admin', '--json'],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        SWC_NODE_PROJECT: 'tools/bench/tsconfig.json',
      },
    },
  );
  const issued = JSON.parse(stdout) as ClientCredentials;
  return { clientId: issued.clientId, clientSecret: issued.clientSecret };
}
