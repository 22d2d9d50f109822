import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { waitFor } from '@event-hub/testing';
import { Supervisor, type SupervisedApp } from './supervisor';

/** Stand-ins for the apps: the supervisor only sees processes that run, exit or ignore SIGTERM. */
const SCRIPTS = {
  crashesSoon: 'setTimeout(() => process.exit(3), 50);',
  runs: 'setInterval(() => undefined, 1000);',
  // Writes the file named by its argument once SIGTERM is ignored, so a test knows when it is.
  ignoresSigterm:
    "process.on('SIGTERM', () => undefined); require('node:fs').writeFileSync(process.argv[1], ''); setInterval(() => undefined, 1000);",
};
const app = (name: string, script: keyof typeof SCRIPTS, ...args: string[]): SupervisedApp => ({
  name,
  command: process.execPath,
  args: ['-e', SCRIPTS[script], ...args],
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The apps' pids once each has a running process. */
const runningPids = (s: Supervisor, names: string[]): Promise<number[]> =>
  waitFor(
    () => {
      const pids = names.map((name) => s.pid(name));
      return pids.every((pid) => pid !== undefined) ? (pids as number[]) : undefined;
    },
    { what: `${names.join(' and ')} to run` },
  );

describe('Supervisor', () => {
  let supervisor: Supervisor | undefined;
  const lines: string[] = [];
  const supervise = (apps: SupervisedApp[], stopTimeoutMs = 5000): Supervisor =>
    (supervisor = new Supervisor(apps, {
      restart: { initialDelayMs: 100, maxDelayMs: 400, resetAfterMs: 60000 },
      stopTimeoutMs,
      stdio: 'ignore',
      log: (line) => lines.push(line),
    }).start());

  afterEach(async () => {
    await supervisor?.stop();
    lines.length = 0;
  });

  it('restarts an app that exits, doubling the wait up to the cap, with a line for each restart', async () => {
    const s = supervise([app('gateway', 'crashesSoon')]);
    await waitFor(() => s.restarts('gateway') >= 4 || undefined, {
      timeoutMs: 10000,
      what: 'four restarts',
    });
    expect(lines.slice(0, 4)).toEqual([
      expect.stringMatching(
        /^› gateway exited with code 3 after .* s; restarting in 100 ms \(restart 1\)$/,
      ),
      expect.stringMatching(/restarting in 200 ms \(restart 2\)$/),
      expect.stringMatching(/restarting in 400 ms \(restart 3\)$/),
      expect.stringMatching(/restarting in 400 ms \(restart 4\)$/),
    ]);
  });

  it('restarts only the app that died; the others keep their process', async () => {
    const s = supervise([app('gateway', 'runs'), app('processor', 'runs')]);
    const [killed, processor] = await runningPids(s, ['gateway', 'processor']);
    process.kill(killed, 'SIGKILL');

    const restarted = await waitFor(
      () => {
        const pid = s.pid('gateway');
        return pid !== undefined && pid !== killed ? pid : undefined;
      },
      { timeoutMs: 5000, what: 'the gateway to be restarted' },
    );
    expect(restarted).not.toBe(killed);
    expect(lines).toEqual([expect.stringMatching(/^› gateway was killed by SIGKILL after/)]);
    expect(s.pid('processor')).toBe(processor);
    expect(s.restarts('processor')).toBe(0);
  });

  it('stops every app on stop(), killing one that ignores SIGTERM after the stop timeout, and restarts none', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'supervisor-')), 'sigterm-ignored');
    const s = supervise([app('gateway', 'runs'), app('monitor', 'ignoresSigterm', marker)], 500);
    const pids = await runningPids(s, ['gateway', 'monitor']);
    await waitFor(() => existsSync(marker), { timeoutMs: 10000, what: 'the SIGTERM handler' });

    await s.stop();
    expect(pids.filter(isAlive)).toEqual([]);
    expect(lines).toEqual([
      '› stopping gateway, monitor',
      '› monitor did not stop within 500 ms; killing it',
    ]);
    await waitFor(() => s.pid('gateway') === undefined && s.pid('monitor') === undefined, {
      timeoutMs: 5000,
      what: 'no process left',
    });
    // Longer than the first restart delay: a stopped supervisor must not bring anything back.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect([s.pid('gateway'), s.pid('monitor')]).toEqual([undefined, undefined]);
    rmSync(dirname(marker), { recursive: true, force: true });
  });
});

/**
 * The command `npm start` runs: SIGTERM to it, or to the process that started it (npm forwards
 * the signal to its `sh -c`, which dies without passing it on), leaves no app process behind.
 */
describe('supervise.ts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'supervise-'));
  const pidFile = (name: string) => join(dir, `${name}.pid`);
  for (const name of ['gateway', 'processor']) {
    writeFileSync(
      join(dir, `${name}.js`),
      `require('fs').writeFileSync(${JSON.stringify(pidFile(name))}, String(process.pid));` +
        SCRIPTS.runs,
    );
  }
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const supervisorCommand = [
    '-r',
    '@swc-node/register',
    join(__dirname, 'supervise.ts'),
    `gateway=${join(dir, 'gateway.js')}`,
    `processor=${join(dir, 'processor.js')}`,
  ];
  const env = { ...process.env, SWC_NODE_PROJECT: join(__dirname, '../tsconfig.json') };

  const appPids = () =>
    waitFor(
      () => {
        const pids = ['gateway', 'processor'].map((name) =>
          Number(readFileSync(pidFile(name), 'utf8')),
        );
        return pids.every((pid) => pid > 0 && isAlive(pid)) ? pids : undefined;
      },
      { timeoutMs: 30000, what: 'both apps to write their pid' },
    );

  beforeEach(() => {
    for (const name of ['gateway', 'processor']) rmSync(pidFile(name), { force: true });
  });

  it('stops every app and exits on SIGTERM', async () => {
    const top = spawn(process.execPath, supervisorCommand, { env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => top.once('exit', resolve));
    const pids = await appPids();

    top.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('stops every app when the shell that started it is killed', async () => {
    // `exec` is avoided on purpose: npm's `sh -c` stays the supervisor's parent, as under npm.
    const shell = spawn(
      'sh',
      ['-c', `"${process.execPath}" ${supervisorCommand.join(' ')}; true`],
      {
        env,
        stdio: 'ignore',
      },
    );
    const pids = await appPids();

    shell.kill('SIGTERM');
    await waitFor(() => pids.every((pid) => !isAlive(pid)) || undefined, {
      timeoutMs: 15000,
      what: 'the apps to stop after their parent shell died',
    });
  });
});
