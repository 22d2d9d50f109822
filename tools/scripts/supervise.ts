/**
 * `npm start`'s supervisor: runs the given apps, restarts any that exits (backoff, log line), and
 * stops them all on SIGINT, SIGTERM or SIGHUP, or when the process that started it is gone.
 *
 *   node -r @swc-node/register tools/scripts/supervise.ts <name>=<script.js> …
 *
 * Each app is `node --enable-source-maps <script.js>` with this process's environment.
 * SUPERVISOR_WATCH_PID names one more process whose end stops everything: `npm start` passes the
 * process above its shell, because npm forwards SIGTERM to `sh -c`, which dies without passing it
 * on, and the apps would be left running.
 */
import { Supervisor, type SupervisedApp } from './supervisor';

const WATCH_INTERVAL_MS = 1000;

function parseApps(args: readonly string[]): SupervisedApp[] {
  if (args.length === 0) throw new Error('usage: supervise.ts <name>=<script.js> …');
  return args.map((arg) => {
    const [name, script] = arg.split('=', 2);
    if (!name || !script) throw new Error(`expected <name>=<script.js>, got "${arg}"`);
    return { name, command: process.execPath, args: ['--enable-source-maps', script] };
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, only not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function main(): void {
  const supervisor = new Supervisor(parseApps(process.argv.slice(2))).start();
  const watched = [process.ppid, Number(process.env['SUPERVISOR_WATCH_PID'] || 0)].filter(
    (pid) => pid > 1,
  );

  let exiting = false;
  const shutdown = (reason: string, exitCode: number): void => {
    if (exiting) return;
    exiting = true;
    clearInterval(watch);
    process.stdout.write(`› ${reason}: stopping the apps\n`);
    void supervisor.stop().then(() => process.exit(exitCode));
  };
  const watch = setInterval(() => {
    const gone = watched.find((pid) => !isAlive(pid));
    if (gone !== undefined) shutdown(`process ${gone} that started the apps is gone`, 0);
  }, WATCH_INTERVAL_MS);

  const signals: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const [signal, exitCode] of Object.entries(signals)) {
    process.on(signal, () => shutdown(signal, exitCode));
  }
}

main();
