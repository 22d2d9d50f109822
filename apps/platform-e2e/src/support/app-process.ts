import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKeyPem } from '@event-hub/auth';
import { waitFor } from '@event-hub/testing';

export type AppName = 'gateway' | 'processor' | 'monitor';

export const REPO_ROOT = join(__dirname, '../../../..');
const LOG_DIR = join(REPO_ROOT, 'tmp/e2e-logs');
const PORT_VARIABLE: Record<AppName, string> = {
  gateway: 'GATEWAY_PORT',
  processor: 'PROCESSOR_PORT',
  monitor: 'MONITOR_PORT',
};

export interface HealthReport {
  status: 'ok' | 'error';
  info?: Record<string, { status: string }>;
  error?: Record<string, { status: string; message?: string }>;
  details: Record<string, { status: string }>;
}

/** The detailed report, readiness (can serve) and liveness (process answers). */
export type HealthRoute = '/health' | '/health/ready' | '/health/live';

let instances = 0;

/**
 * One token signing key for every gateway of the run, as a deployment shares one between its
 * instances (a token from one is valid at the other). .env's key file exists only after `npm start`.
 */
let signingKey: string | undefined;
const gatewayKeyEnv = (): Record<string, string> => ({
  AUTH_JWT_PRIVATE_KEY: (signingKey ??= generateSigningKeyPem()),
  AUTH_JWT_PRIVATE_KEY_FILE: '',
});

/**
 * One built app (`dist/apps/<name>/main.js`) running as a child process, as `npm start` runs it;
 * its output goes to tmp/e2e-logs/ for post-mortems.
 */
export class AppProcess {
  private child: ChildProcess | undefined;
  readonly baseUrl: string;
  readonly logFile: string;

  constructor(
    readonly name: AppName,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
    instances += 1;
    this.logFile = join(LOG_DIR, `${name}-${port}-${instances}.log`);
  }

  start(): this {
    mkdirSync(LOG_DIR, { recursive: true });
    const log = createWriteStream(this.logFile, { flags: 'a' });
    this.child = spawn(
      process.execPath,
      ['--enable-source-maps', `dist/apps/${this.name}/main.js`],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          LOG_LEVEL: 'info',
          HTTP_HOST: '127.0.0.1',
          [PORT_VARIABLE[this.name]]: String(this.port),
          ...(this.name === 'gateway' ? gatewayKeyEnv() : {}),
          ...this.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child.stdout?.pipe(log);
    this.child.stderr?.pipe(log);
    return this;
  }

  get running(): boolean {
    return (
      this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
    );
  }

  async health(route: HealthRoute = '/health'): Promise<{ status: number; body: HealthReport }> {
    const response = await fetch(`${this.baseUrl}${route}`);
    return { status: response.status, body: (await response.json()) as HealthReport };
  }

  /** Waits until `route` (the detailed /health by default) answers with `expected` (200 or 503). */
  async waitForHealth(
    expected: 200 | 503,
    timeoutMs = 90000,
    route: HealthRoute = '/health',
  ): Promise<HealthReport> {
    let last = 'no answer';
    try {
      return await waitFor(
        async () => {
          if (!this.running) throw new Error(`${this.name} exited; see ${this.logFile}`);
          const { status, body } = await this.health(route);
          last = `${status} ${JSON.stringify(body)}`;
          return status === expected ? body : undefined;
        },
        { timeoutMs, intervalMs: 250, what: `${this.name} ${route} ${expected}` },
      );
    } catch (error) {
      // Which entry stayed down is what a failed run needs to be explained.
      throw new Error(`${(error as Error).message}; last answer: ${last}; log: ${this.logFile}`);
    }
  }

  /** Waits until the app can serve (`/health/ready` 200), e.g. before sending it work. */
  waitUntilReady(timeoutMs = 90000): Promise<HealthReport> {
    return this.waitForHealth(200, timeoutMs, '/health/ready');
  }

  /**
   * What a failed wait needs to explain itself: the app's /health body (or why it did not answer)
   * and the last lines of its log.
   */
  async postMortem(lines = 60): Promise<string> {
    const health = await this.health()
      .then(({ status, body }) => `${status} ${JSON.stringify(body)}`)
      .catch((error: unknown) => `no answer (${String(error)})`);
    let log: string;
    try {
      log = readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch (error) {
      log = `unreadable (${String(error)})`;
    }
    return `${this.name} /health: ${health}\nlast ${lines} lines of ${this.logFile}:\n${log}`;
  }

  /** Graceful stop (SIGTERM) or a crash (SIGKILL); resolves when the process is gone. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }
}
