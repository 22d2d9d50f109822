import { execFileSync } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * CPU time of the processes of the stack, from Linux /proc: on the 2-core bench box every process
 * shares the cores, so CPU per item says whose work a figure went into and stays stable when
 * throughput does not.
 */

/** A process (or set of processes) whose CPU a bench reports, under the name it prints. */
export interface MeteredProcess {
  name: string;
  /** User + system CPU seconds so far; NaN when the process cannot be found. */
  cpuSeconds(): Promise<number>;
}

/** utime, stime, cutime and cstime of one /proc/<pid>/stat line, in clock ticks. */
export interface StatTimes {
  command: string;
  /** CPU the process used itself. */
  ownTicks: number;
  /** CPU of its children that exited and that it waited for. */
  reapedChildrenTicks: number;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parentheses. */
export function parseStat(stat: string): StatTimes {
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (open < 0 || close < open)
    throw new Error(`not a /proc/<pid>/stat line: ${stat.slice(0, 80)}`);
  // From field 3 (state) on; utime, stime, cutime, cstime are fields 14 to 17.
  const fields = stat.slice(close + 2).split(' ');
  const field = (n: number) => Number(fields[n - 3]);
  return {
    command: stat.slice(open + 1, close),
    ownTicks: field(14) + field(15),
    reapedChildrenTicks: field(16) + field(17),
  };
}

let ticksPerSecond: number | undefined;
function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    } catch {
      ticksPerSecond = 100;
    }
    if (!Number.isFinite(ticksPerSecond) || ticksPerSecond <= 0) ticksPerSecond = 100;
  }
  return ticksPerSecond;
}

async function statOf(pid: number): Promise<StatTimes | undefined> {
  try {
    return parseStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

async function allPids(): Promise<number[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  return entries.filter((e) => /^\d+$/.test(e)).map(Number);
}

/** CPU seconds of one process (user + system); NaN when it is gone or there is no /proc. */
export async function processCpuSeconds(pid: number): Promise<number> {
  const stat = pid > 0 ? await statOf(pid) : undefined;
  return stat ? stat.ownTicks / clockTicksPerSecond() : NaN;
}

/** One process by pid, looked up once (`undefined`/0: reported as NaN, not as zero). */
export function meteredPid(name: string, pid: number | undefined): MeteredProcess {
  return { name, cpuSeconds: () => processCpuSeconds(pid ?? 0) };
}

/** The process running this code: the load generator (its children are not counted). */
export function meteredBench(name = 'bench'): MeteredProcess {
  return {
    name,
    cpuSeconds: async () => {
      const own = process.cpuUsage();
      return (own.user + own.system) / 1e6;
    },
  };
}

/**
 * Every process whose command name is `command`, found anew at each sample (a database starts a
 * backend per connection). Counting what parents reaped keeps a process that exits between two
 * samples in the sum: its CPU moves into its parent's (the postmaster's) reaped-children time.
 */
export function meteredByCommand(name: string, command: string): MeteredProcess {
  return {
    name,
    cpuSeconds: async () => {
      const stats = await Promise.all((await allPids()).map(statOf));
      const ticks = stats
        .filter((s): s is StatTimes => s?.command === command)
        .reduce((sum, s) => sum + s.ownTicks + s.reapedChildrenTicks, 0);
      return stats.some((s) => s?.command === command) ? ticks / clockTicksPerSecond() : NaN;
    },
  };
}

/** The pid in a pid file if that process is alive and its command line contains `marker`. */
export async function pidFromFile(file: string, marker: string): Promise<number | undefined> {
  const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return (await commandLineOf(pid)).includes(marker) ? pid : undefined;
}

async function commandLineOf(pid: number): Promise<string> {
  return (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ');
}

/**
 * Socket inodes listening on `port` in the text of /proc/net/tcp or tcp6 (state 0A is LISTEN;
 * addresses are hex `address:port`).
 */
export function listeningInodes(procNetTcp: string, port: number): string[] {
  const inodes: string[] = [];
  for (const line of procNetTcp.split('\n').slice(1)) {
    const columns = line.trim().split(/\s+/);
    const local = columns[1];
    if (!local || columns[3] !== '0A') continue;
    if (parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port)
      inodes.push(columns[9] ?? '');
  }
  return inodes.filter((inode) => inode !== '' && inode !== '0');
}

/** The process listening on a local TCP port (an app of the stack found by its port), if any. */
export async function pidListeningOn(port: number): Promise<number | undefined> {
  const tables = await Promise.all(
    ['/proc/net/tcp', '/proc/net/tcp6'].map((f) => readFile(f, 'utf8').catch(() => '')),
  );
  const sockets = new Set(
    tables.flatMap((t) => listeningInodes(t, port)).map((i) => `socket:[${i}]`),
  );
  if (sockets.size === 0) return undefined;
  for (const pid of await allPids()) {
    const fdDir = `/proc/${pid}/fd`;
    const fds = await readdir(fdDir).catch(() => [] as string[]);
    for (const fd of fds) {
      if (sockets.has(await readlink(join(fdDir, fd)).catch(() => ''))) return pid;
    }
  }
  return undefined;
}

/**
 * The dev services of tools/dev-services (pid files under .dev-services/run) and Postgres.
 * BENCH_KAFKA_PID meters another broker instead (one started by hand, with KAFKA_BROKERS).
 */
export async function meteredDevServices(repoRoot: string): Promise<MeteredProcess[]> {
  const run = join(repoRoot, '.dev-services/run');
  const kafkaPid = process.env['BENCH_KAFKA_PID'];
  const [kafka, elasticsearch] = await Promise.all([
    kafkaPid ? Number(kafkaPid) : pidFromFile(join(run, 'kafka.pid'), 'kafka.Kafka'),
    pidFromFile(
      join(run, 'elasticsearch/elasticsearch.pid'),
      'org.elasticsearch.bootstrap.Elasticsearch',
    ),
  ]);
  return [
    meteredPid('kafka', kafka),
    meteredPid('elasticsearch', elasticsearch),
    // Not one of our dev services here: every server process and backend on the machine.
    meteredByCommand('postgres', 'postgres'),
  ];
}

export type CpuByProcess = Record<string, number>;

/**
 * CPU seconds each metered process spent inside `measure()` calls, summed over them: sampled
 * right before and right after, so set-up and warm-up outside them are not counted.
 */
export class StackCpuMeter {
  readonly spent: CpuByProcess;

  constructor(readonly processes: MeteredProcess[]) {
    this.spent = Object.fromEntries(processes.map((p) => [p.name, 0]));
  }

  async measure<T>(run: () => Promise<T>): Promise<T> {
    const before = await this.sample();
    try {
      return await run();
    } finally {
      for (const [name, seconds] of Object.entries(cpuSpent(before, await this.sample()))) {
        this.spent[name] = (this.spent[name] ?? 0) + seconds;
      }
    }
  }

  async sample(): Promise<CpuByProcess> {
    const seconds = await Promise.all(this.processes.map((p) => p.cpuSeconds()));
    return Object.fromEntries(this.processes.map((p, i) => [p.name, seconds[i] ?? NaN]));
  }

  /** CPU milliseconds per `per` items, by process and in total (NaN for a process not found). */
  perItems(items: number, per = 1): CpuByProcess {
    return cpuMsPer(this.spent, items, per);
  }
}

/** CPU seconds each process spent between two samples. */
export function cpuSpent(before: CpuByProcess, after: CpuByProcess): CpuByProcess {
  return Object.fromEntries(
    Object.entries(after).map(([name, seconds]) => [name, seconds - (before[name] ?? NaN)]),
  );
}

/** CPU milliseconds per `per` items from CPU seconds, by process, plus `total`, rounded to 0.01. */
export function cpuMsPer(seconds: CpuByProcess, items: number, per = 1): CpuByProcess {
  const ms = (s: number) => Math.round(((s * 1000 * per) / (items || NaN)) * 100) / 100;
  const result: CpuByProcess = {};
  let total = 0;
  for (const [name, s] of Object.entries(seconds)) {
    result[name] = ms(s);
    if (Number.isFinite(s)) total += s;
  }
  result['total'] = ms(total);
  return result;
}

/** `gateway 1.26, kafka 0.86, …, total 4.3`: how the benches print CPU per item. */
export function formatCpu(byProcess: CpuByProcess): string {
  return Object.entries(byProcess)
    .map(([name, value]) => `${name} ${Number.isFinite(value) ? value : 'n/a'}`)
    .join(', ');
}
