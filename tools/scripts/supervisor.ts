import { spawn, type ChildProcess } from 'node:child_process';

/** One long-running process the supervisor keeps up. */
export interface SupervisedApp {
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface RestartPolicy {
  /** Wait before restarting an app that exited; doubles with each exit in a row. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** An app that ran at least this long before exiting starts again from the initial delay. */
  resetAfterMs: number;
}

export interface SupervisorOptions {
  restart?: Partial<RestartPolicy>;
  /** How long the apps get to stop after SIGTERM before they are killed. */
  stopTimeoutMs?: number;
  /** Where the supervisor's own lines go (one line per event). */
  log?: (line: string) => void;
  /** The apps' stdout and stderr: the supervisor's own (default), or discarded. */
  stdio?: 'inherit' | 'ignore';
}

const DEFAULT_RESTART: RestartPolicy = {
  initialDelayMs: 1000,
  maxDelayMs: 30000,
  resetAfterMs: 60000,
};

interface Member {
  readonly app: SupervisedApp;
  child?: ChildProcess;
  startedAt: number;
  /** Exits since the app last ran for `resetAfterMs`: the exponent of its backoff. */
  exitsInARow: number;
  restarts: number;
  restartTimer?: NodeJS.Timeout;
}

/**
 * Runs apps as child processes and restarts each one that exits, with exponential backoff and a
 * log line, leaving the others alone. `stop()` ends them all: SIGTERM, then SIGKILL after the
 * stop timeout.
 */
export class Supervisor {
  private readonly members: Member[];
  private readonly policy: RestartPolicy;
  private readonly stopTimeoutMs: number;
  private readonly log: (line: string) => void;
  private readonly stdio: 'inherit' | 'ignore';
  private stopping?: Promise<void>;

  constructor(apps: readonly SupervisedApp[], options: SupervisorOptions = {}) {
    this.members = apps.map((app) => ({ app, startedAt: 0, exitsInARow: 0, restarts: 0 }));
    this.policy = { ...DEFAULT_RESTART, ...options.restart };
    this.stopTimeoutMs = options.stopTimeoutMs ?? 10000;
    this.log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
    this.stdio = options.stdio ?? 'inherit';
  }

  start(): this {
    for (const member of this.members) this.launch(member);
    return this;
  }

  /** The pid of an app's current process (undefined while it waits to be restarted). */
  pid(name: string): number | undefined {
    const child = this.member(name).child;
    return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
  }

  restarts(name: string): number {
    return this.member(name).restarts;
  }

  /** Stops every app and restarts none; resolves once all have exited. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= this.stopAll();
    return this.stopping;
  }

  private member(name: string): Member {
    const member = this.members.find((m) => m.app.name === name);
    if (!member) throw new Error(`no supervised app named ${name}`);
    return member;
  }

  private launch(member: Member): void {
    const { app } = member;
    member.startedAt = Date.now();
    const child = spawn(app.command, [...app.args], {
      cwd: app.cwd,
      env: app.env ?? process.env,
      stdio: ['ignore', this.stdio, this.stdio],
    });
    member.child = child;
    // A spawn failure (no such command) is reported as an error event, then as an exit.
    child.on('error', (error) => this.log(`› ${app.name} could not start: ${error.message}`));
    child.on('exit', (code, signal) => this.exited(member, code, signal));
  }

  private exited(member: Member, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping) return;
    const ranMs = Date.now() - member.startedAt;
    if (ranMs >= this.policy.resetAfterMs) member.exitsInARow = 0;
    const delayMs = Math.min(
      this.policy.maxDelayMs,
      this.policy.initialDelayMs * 2 ** member.exitsInARow,
    );
    member.exitsInARow += 1;
    member.restarts += 1;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    this.log(
      `› ${member.app.name} ${how} after ${(ranMs / 1000).toFixed(1)} s; ` +
        `restarting in ${delayMs} ms (restart ${member.restarts})`,
    );
    member.restartTimer = setTimeout(() => {
      member.restartTimer = undefined;
      if (!this.stopping) this.launch(member);
    }, delayMs);
  }

  private async stopAll(): Promise<void> {
    for (const member of this.members) clearTimeout(member.restartTimer);
    const running = this.members.flatMap(({ app, child }) =>
      child && this.pid(app.name) !== undefined ? [{ name: app.name, child }] : [],
    );
    if (running.length === 0) return;
    this.log(`› stopping ${running.map((m) => m.name).join(', ')}`);
    await Promise.all(running.map(({ name, child }) => this.stopChild(name, child)));
  }

  private stopChild(name: string, child: ChildProcess): Promise<void> {
    return new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const killTimer = setTimeout(() => {
        this.log(`› ${name} did not stop within ${this.stopTimeoutMs} ms; killing it`);
        child.kill('SIGKILL');
      }, this.stopTimeoutMs);
      child.once('exit', () => {
        clearTimeout(killTimer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}
