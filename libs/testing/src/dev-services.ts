import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '../../../tools/dev-services/services.sh');

export type DevService = 'kafka' | 'elasticsearch' | 'postgres';

/** Stops or starts one of the project's own dev services for real (data is kept). */
export const devServices = {
  async stop(service: DevService): Promise<void> {
    await run('bash', [SCRIPT, 'down', service], { timeout: 120000 });
  },
  async start(service: DevService): Promise<void> {
    await run('bash', [SCRIPT, 'up', service], { timeout: 240000 });
  },
};
