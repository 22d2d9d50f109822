import { cpuMsPer, formatCpu, listeningInodes, parseStat, StackCpuMeter } from './process-cpu';

describe('process CPU from /proc', () => {
  it('reads own and reaped-children ticks, whatever the command name holds', () => {
    const stat =
      '4242 (postgres: a) b) S 1 4242 4242 0 -1 4194560 500 0 0 0 ' +
      '120 30 7 3 20 0 1 0 100 1000 200 18446744073709551615';

    expect(parseStat(stat)).toEqual({
      command: 'postgres: a) b',
      ownTicks: 150,
      reapedChildrenTicks: 10,
    });
  });

  it('finds the sockets listening on a port, not the connections to it', () => {
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31337 1',
      '   1: 0100007F:1F40 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 31338 1',
      '   2: 0100007F:1F41 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 31339 1',
    ].join('\n');

    expect(listeningInodes(table, 8000)).toEqual(['31337']);
  });

  it('reports CPU milliseconds per item by process and in total', () => {
    const perCommand = cpuMsPer({ gateway: 2.5, kafka: 1, postgres: NaN }, 2000);

    expect(perCommand).toEqual({ gateway: 1.25, kafka: 0.5, postgres: NaN, total: 1.75 });
    expect(formatCpu(perCommand)).toBe('gateway 1.25, kafka 0.5, postgres n/a, total 1.75');
    expect(cpuMsPer({ gateway: 2.5 }, 2000, 1000)).toEqual({ gateway: 1250, total: 1250 });
  });

  it('counts only what each process spent inside measured runs', async () => {
    let gatewaySeconds = 10;
    const meter = new StackCpuMeter([{ name: 'gateway', cpuSeconds: async () => gatewaySeconds }]);

    await meter.measure(async () => {
      gatewaySeconds += 2;
    });
    gatewaySeconds += 100; // between measured runs: not counted
    await meter.measure(async () => {
      gatewaySeconds += 1;
    });

    expect(meter.spent).toEqual({ gateway: 3 });
    expect(meter.perItems(1000)).toEqual({ gateway: 3, total: 3 });
  });
});
