/**
 * `npm run bench:idle`: the stack bench:commands starts (support/platform-stack.ts, built apps),
 * left without load: CPU ms per second of each app, of the broker, Elasticsearch and Postgres over
 * BENCH_IDLE_SECONDS (30) after BENCH_IDLE_WARMUP_SECONDS (15). What an app burns per second is
 * spread over the commands of a moderate rate: at 300/s, 30 ms/s is 0.1 ms per command.
 * Baseline in the same run: the shared services alone (broker, Elasticsearch, Postgres) over the
 * same span before the apps start, so what the idle apps add to them stands beside what they burn
 * with nothing of ours connected. Both include whatever else runs on the machine.
 */
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { intFromEnv } from './support/bench-output';
import { PlatformStack } from './support/platform-stack';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  formatCpu,
  meteredDevServices,
  meteredPid,
  StackCpuMeter,
  type CpuByProcess,
  type MeteredProcess,
} from './support/process-cpu';

const SECONDS = intFromEnv('BENCH_IDLE_SECONDS', 30);
const WARMUP_SECONDS = intFromEnv('BENCH_IDLE_WARMUP_SECONDS', 15);
const NODE_ARGS = (process.env['BENCH_IDLE_NODE_ARGS'] ?? '').split(/\s+/).filter(Boolean);

/** CPU ms per second of each process (and in total) over SECONDS from now. */
async function idlePerSecond(processes: MeteredProcess[]): Promise<CpuByProcess> {
  const meter = new StackCpuMeter(processes);
  await meter.measure(() => sleep(SECONDS * 1000));
  return meter.perItems(SECONDS);
}

async function main(): Promise<void> {
  const runId = randomUUID().slice(0, 8);
  const services = await meteredDevServices(join(__dirname, '../..'));
  console.log(`run ${runId}: ${SECONDS} s of the shared services alone (baseline)`);
  const alone = await idlePerSecond(services);
  console.log(`run ${runId}: services alone, CPU ms per second: ${formatCpu(alone)}`);
  const stack = await PlatformStack.start(runId, {
    name: 'bench-idle',
    withMonitor: true,
    partitions: 6,
    ports: {
      gateway: intFromEnv('BENCH_GATEWAY_PORT', 0),
      processor: intFromEnv('BENCH_PROCESSOR_PORT', 0),
      monitor: intFromEnv('BENCH_MONITOR_PORT', 0),
    },
    nodeArgs: { gateway: NODE_ARGS, processor: NODE_ARGS, monitor: NODE_ARGS },
  });
  try {
    const apps = stack.processes.map((app) => meteredPid(app.app, app.pid));
    console.log(`run ${runId}: apps up, ${WARMUP_SECONDS} s warm-up, then ${SECONDS} s measured`);
    await sleep(WARMUP_SECONDS * 1000);
    const from = Date.now();
    const idle = await idlePerSecond([...apps, ...services]);
    const to = Date.now();
    console.log(`run ${runId}: idle CPU ms per second: ${formatCpu(idle)}`);
    const added = services.map(({ name }) => {
      const ms = (idle[name] ?? NaN) - (alone[name] ?? NaN);
      return `${name} ${Number.isFinite(ms) ? ms.toFixed(2) : 'n/a'}`;
    });
    console.log(`run ${runId}: the idle apps add to the services: ${added.join(', ')}`);
    console.log(`run ${runId}: measured from ${from} to ${to} (epoch ms)`);
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
