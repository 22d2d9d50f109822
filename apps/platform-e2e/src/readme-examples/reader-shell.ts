import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** What one command printed, its exit code, and the HTTP status of each curl call it made. */
export interface ShellAnswer {
  exitCode: number;
  stdout: string;
  stderr: string;
  httpStatuses: number[];
}

const STATUS_MARK = '@@readme-http-status';
const DONE_MARK = '@@readme-done';

/**
 * The reader's terminal: one bash session in which the README's commands run one after the other,
 * so variables and aliases a command sets (TOKEN, the curl alias) hold for the next ones, as they
 * do for a reader. curl is wrapped only to report each call's HTTP status on stderr, which the
 * answer leaves out, and to show no progress meter (a terminal shows none either).
 */
export class ReaderShell {
  private readonly lines: AsyncIterator<string>;
  private commands = 0;

  private constructor(
    private readonly bash: ChildProcess,
    private readonly scratch: string,
  ) {
    if (!bash.stdout) throw new Error('bash has no stdout');
    this.lines = createInterface({ input: bash.stdout })[Symbol.asyncIterator]();
  }

  /**
   * A session in `cwd` (where the reader's checkout would be) with only the reader's basics, and
   * the variables the README tells an operator to set (`ADMIN_CLIENT_ID`, …).
   */
  static async open(cwd: string, variables: Record<string, string> = {}): Promise<ReaderShell> {
    const scratch = await mkdtemp(join(tmpdir(), 'readme-shell-'));
    const bash = spawn('bash', ['--noprofile', '--norc'], {
      cwd,
      env: {
        ...variables,
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: cwd,
        LANG: 'C.UTF-8',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const shell = new ReaderShell(bash, scratch);
    // An interactive shell expands aliases; a script must be told to.
    await shell.send(
      [
        'shopt -s expand_aliases',
        `curl() { command curl --no-progress-meter --write-out '%{stderr}\\n${STATUS_MARK} %{http_code}\\n' "$@"; }`,
      ].join('\n'),
    );
    return shell;
  }

  private async send(script: string): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.bash.stdin?.write(`${script}\n`, (error) => (error ? reject(error) : resolve())),
    );
  }

  /** Runs one command as typed; rejects when it has not finished within `timeoutMs`. */
  async run(command: string, timeoutMs: number): Promise<ShellAnswer> {
    this.commands += 1;
    const n = this.commands;
    const file = (name: string) => join(this.scratch, `${n}.${name}`);
    await writeFile(file('sh'), `${command}\n`);
    // Sourced, so what it defines stays; its input is not the session's script.
    await this.send(
      `source '${file('sh')}' </dev/null >'${file('out')}' 2>'${file('err')}'; echo "${DONE_MARK} ${n} $?"`,
    );
    const exitCode = await this.doneOf(n, timeoutMs, command);
    const [stdout, stderr] = await Promise.all([
      readFile(file('out'), 'utf8'),
      readFile(file('err'), 'utf8'),
    ]);
    const statusLine = new RegExp(`^${STATUS_MARK} (\\d{3})$`);
    const httpStatuses: number[] = [];
    const rest: string[] = [];
    for (const line of stderr.split('\n')) {
      const status = statusLine.exec(line);
      if (status) httpStatuses.push(Number(status[1]));
      else rest.push(line);
    }
    return { exitCode, stdout, stderr: rest.join('\n').trim(), httpStatuses };
  }

  private async doneOf(n: number, timeoutMs: number, command: string): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${timeoutMs} ms: ${command}`)),
        timeoutMs,
      );
    });
    const done = (async () => {
      for (;;) {
        const next = await this.lines.next();
        if (next.done) throw new Error(`bash exited while running: ${command}`);
        const mark = new RegExp(`^${DONE_MARK} ${n} (\\d+)$`).exec(next.value);
        if (mark) return Number(mark[1]);
      }
    })();
    try {
      return await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    if (this.bash.exitCode === null && this.bash.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.bash.once('exit', () => resolve()));
      this.bash.kill('SIGKILL');
      await exited;
    }
    await rm(this.scratch, { recursive: true, force: true });
  }
}
