import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processCpuSeconds, REPO_ROOT } from './gateway-process';

export interface CpuSeconds {
  gateway: number;
  broker: number;
  bench: number;
}

/**
 * CPU seconds spent by the gateway, the Kafka broker and the bench itself while one side's rounds
 * ran: on a 2-core box they share the cores, so these say whose work the time went into.
 */
export class CpuMeter {
  readonly spent: CpuSeconds = { gateway: 0, broker: 0, bench: 0 };

  constructor(
    private readonly gatewayPid: number,
    private readonly brokerPid: number,
  ) {}

  async measure<T>(run: () => Promise<T>): Promise<T> {
    const before = await this.sample();
    try {
      return await run();
    } finally {
      const after = await this.sample();
      this.spent.gateway += after.gateway - before.gateway;
      this.spent.broker += after.broker - before.broker;
      this.spent.bench += after.bench - before.bench;
    }
  }

  private async sample(): Promise<CpuSeconds> {
    const own = process.cpuUsage();
    const [gateway, broker] = await Promise.all([
      processCpuSeconds(this.gatewayPid),
      processCpuSeconds(this.brokerPid),
    ]);
    return { gateway, broker, bench: (own.user + own.system) / 1e6 };
  }
}

/** The dev broker's pid (tools/dev-services), or BENCH_PROXY_BROKER_PID; 0 when unknown. */
export function brokerPid(): number {
  const configured = Number(process.env['BENCH_PROXY_BROKER_PID'] ?? '');
  if (Number.isInteger(configured) && configured > 0) return configured;
  try {
    return Number(readFileSync(join(REPO_ROOT, '.dev-services/run/kafka.pid'), 'utf8').trim()) || 0;
  } catch {
    return 0;
  }
}
