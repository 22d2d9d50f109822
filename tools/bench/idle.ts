/**
 * `npm run bench:idle`: the stack bench:commands starts (support/platform-stack.ts, built apps),
 * left without load: CPU ms per second of each app, of the broker, Elasticsearch and Postgres over
 * BENCH_IDLE_SECONDS (30) after BENCH_IDLE_WARMUP_SECONDS (15). What an app burns per second is
 * spread over the commands of a moderate rate: at 300/s, 30 ms/s is 0.1 ms per command.
 * The shared services' figures include whatever else runs on the machine: compare runs taken
 * one after the other, with the same services.
 */
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { intFromEnv } from './support/bench-output';
import { PlatformStack } from './support/platform-stack';
import {
  cpuSpent,
  meteredDevServices,
  meteredPid,
  StackCpuMeter,
  type CpuByProcess,
} from './support/process-cpu';

const SECONDS = intFromEnv('BENCH_IDLE_SECONDS', 30);
const WARMUP_SECONDS = intFromEnv('BENCH_IDLE_WARMUP_SECONDS', 15);
const NODE_ARGS = (process.env['BENCH_IDLE_NODE_ARGS'] ?? '').split(/\s+/).filter(Boolean);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const runId = randomUUID().slice(0, 8);
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
    const meter = new StackCpuMeter([
      ...stack.processes.map((app) => meteredPid(app.app, app.pid)),
      ...(await meteredDevServices(join(__dirname, '../..'))),
    ]);
    console.log(`run ${runId}: apps up, ${WARMUP_SECONDS} s warm-up, then ${SECONDS} s measured`);
    await sleep(WARMUP_SECONDS * 1000);
    const from = Date.now();
    const before: CpuByProcess = await meter.sample();
    await sleep(SECONDS * 1000);
    const spent = cpuSpent(before, await meter.sample());
    const to = Date.now();
    const perSecond = Object.entries(spent).map(
      ([name, seconds]) => `${name} ${((seconds * 1000) / SECONDS).toFixed(1)}`,
    );
    console.log(`run ${runId}: idle CPU ms per second: ${perSecond.join(', ')}`);
    console.log(`run ${runId}: measured from ${from} to ${to} (epoch ms)`);
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
