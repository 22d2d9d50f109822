import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '../../..');
const LOG_DIR = join(REPO_ROOT, 'tmp/bench-logs');

export type AppName = 'gateway' | 'processor' | 'monitor';

const PORT_VARIABLE: Record<AppName, string> = {
  gateway: 'GATEWAY_PORT',
  processor: 'PROCESSOR_PORT',
  monitor: 'MONITOR_PORT',
};

export interface AppProcessOptions {
  /** `source`: apps/<app>/src/main.ts through @swc-node/register; `dist`: the webpack build. */
  entry: 'source' | 'dist';
  env: Record<string, string>;
  /** Extra flags for the app's node, e.g. `--cpu-prof`. */
  nodeArgs: string[];
  runId: string;
  /** Default: a free port the system picks. */
  port?: number;
}

/**
 * An app of the stack as a child process of the bench, on a port, database and topics of the
 * run's own, so the bench neither needs nor disturbs `npm start`, and can read the process's CPU
 * time. Started means healthy: its /health answered 200.
 */
export class AppProcess {
  private constructor(
    readonly app: AppName,
    private readonly child: ChildProcess,
    readonly baseUrl: string,
    readonly logFile: string,
  ) {}

  static async start(
    app: AppName,
    options: AppProcessOptions,
    timeoutMs = 120000,
  ): Promise<AppProcess> {
    const port = options.port ?? (await freePort());
    mkdirSync(LOG_DIR, { recursive: true });
    const logFile = join(LOG_DIR, `${app}-${options.runId}.log`);
    const log = createWriteStream(logFile, { flags: 'a' });
    const entry =
      options.entry === 'dist'
        ? ['--enable-source-maps', `dist/apps/${app}/main.js`]
        : ['-r', '@swc-node/register', `apps/${app}/src/main.ts`];
    const child = spawn(process.execPath, [...options.nodeArgs, ...entry], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        SWC_NODE_PROJECT: process.env['SWC_NODE_PROJECT'] ?? 'tools/bench/tsconfig.json',
        NODE_ENV: 'production',
        HTTP_HOST: '127.0.0.1',
        [PORT_VARIABLE[app]]: String(port),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const started = new AppProcess(app, child, `http://127.0.0.1:${port}`, logFile);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!started.running) throw new Error(`the ${app} exited at start; see ${logFile}`);
      const status = await fetch(`${started.baseUrl}/health`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) return started;
      if (Date.now() > deadline) {
        await started.stop();
        throw new Error(`the ${app} was not healthy within ${timeoutMs} ms; see ${logFile}`);
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

  stop(): Promise<void> {
    return stopProcess(this.child);
  }
}

/** SIGTERM, then SIGKILL if the process has not exited within 20 s; resolves once it is gone. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
  await exited;
  clearTimeout(timer);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
