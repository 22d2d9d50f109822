import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '../../..');
const LOG_DIR = join(REPO_ROOT, 'tmp/bench-logs');

export interface GatewayProcessOptions {
  /** `source`: apps/gateway/src/main.ts through @swc-node/register; `dist`: the webpack build. */
  entry: 'source' | 'dist';
  env: Record<string, string>;
  /** Extra flags for the gateway's node, e.g. `--cpu-prof`. */
  nodeArgs: string[];
  runId: string;
}

/**
 * The gateway as a child process of the bench, on a port, database and topics of the run's own,
 * so the bench neither needs nor disturbs `npm start`, and can read the process's CPU time.
 */
export class GatewayProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    readonly logFile: string,
  ) {}

  static async start(options: GatewayProcessOptions, timeoutMs = 120000): Promise<GatewayProcess> {
    const port = await freePort();
    mkdirSync(LOG_DIR, { recursive: true });
    const logFile = join(LOG_DIR, `gateway-${options.runId}.log`);
    const log = createWriteStream(logFile, { flags: 'a' });
    const entry =
      options.entry === 'dist'
        ? ['--enable-source-maps', 'dist/apps/gateway/main.js']
        : ['-r', '@swc-node/register', 'apps/gateway/src/main.ts'];
    const child = spawn(process.execPath, [...options.nodeArgs, ...entry], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: process.env['SWC_NODE_PROJECT'] ?? 'tools/bench/tsconfig.json',
        NODE_ENV: 'production',
        HTTP_HOST: '127.0.0.1',
        GATEWAY_PORT: String(port),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const gateway = new GatewayProcess(child, `http://127.0.0.1:${port}`, logFile);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!gateway.running) throw new Error(`the gateway exited at start; see ${logFile}`);
      const status = await fetch(`${gateway.baseUrl}/health`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return gateway;
      if (Date.now() > deadline) {
        await gateway.stop();
        throw new Error(`the gateway was not healthy within ${timeoutMs} ms; see ${logFile}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20000);
    await exited;
    clearTimeout(timer);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
