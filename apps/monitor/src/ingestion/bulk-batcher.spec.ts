import { BulkBatcher } from './bulk-batcher';

describe('bulk batcher', () => {
  const options = { maxItems: 3, maxBytes: 100, lingerMs: 20, concurrency: () => 1 };

  function recorder(): { batches: number[][]; deliver: (items: number[]) => Promise<void> } {
    const batches: number[][] = [];
    return { batches, deliver: async (items) => void batches.push(items) };
  }

  it('closes a batch when it holds maxItems', async () => {
    const { batches, deliver } = recorder();
    const batcher = new BulkBatcher<number>(options, () => 1, deliver);
    for (const n of [1, 2, 3, 4]) batcher.add(n);
    await batcher.flush();
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('closes a batch before it would exceed maxBytes', async () => {
    const { batches, deliver } = recorder();
    const batcher = new BulkBatcher<number>(options, (n) => n, deliver);
    for (const n of [60, 30, 20, 90]) batcher.add(n);
    await batcher.flush();
    expect(batches).toEqual([[60, 30], [20], [90]]);
  });

  it('sends a partial batch after the linger', async () => {
    const { batches, deliver } = recorder();
    const batcher = new BulkBatcher<number>(options, () => 1, deliver);
    batcher.add(1);
    expect(batches).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(batches).toEqual([[1]]);
  });

  it('keeps filling a lingered batch while every slot is busy, and sends it when one frees', async () => {
    const delivered: number[][] = [];
    const releases: (() => void)[] = [];
    const batcher = new BulkBatcher<number>(
      { ...options, maxItems: 10 },
      () => 1,
      (items) => {
        delivered.push(items);
        return new Promise<void>((resolve) => releases.push(resolve));
      },
    );
    batcher.add(1);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(delivered).toEqual([[1]]);

    // The only slot is busy: past its linger, the next batch waits for it instead of going out.
    batcher.add(2);
    await new Promise((resolve) => setTimeout(resolve, 40));
    batcher.add(3);
    batcher.add(4);
    expect(delivered).toEqual([[1]]);

    releases.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(delivered).toEqual([[1], [2, 3, 4]]);
    releases.shift()?.();
    await batcher.flush();
  });

  it('delivers at most `concurrency` batches at once and reports capacity', async () => {
    const releases: (() => void)[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const batcher = new BulkBatcher<number>(
      { ...options, concurrency: () => 2 },
      () => 1,
      async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise<void>((resolve) => releases.push(resolve));
        inFlight--;
      },
    );
    for (let n = 0; n < 12; n++) batcher.add(n);
    expect(batcher.hasCapacity).toBe(false);
    expect(batcher.pending).toBe(12);

    const flushed = batcher.flush();
    while (releases.length > 0 || inFlight > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await flushed;
    expect(maxInFlight).toBe(2);
    expect(batcher.pending).toBe(0);
    expect(batcher.hasCapacity).toBe(true);
  });

  it('wakes a waiting producer when capacity returns', async () => {
    let release: (() => void) | undefined;
    const batcher = new BulkBatcher<number>(
      options,
      () => 1,
      () => new Promise<void>((r) => (release = r)),
    );
    for (let n = 0; n < 9; n++) batcher.add(n);
    expect(batcher.hasCapacity).toBe(false);
    const waited = batcher.waitForCapacity(10000);
    release?.();
    await waited;
    expect(batcher.hasCapacity).toBe(true);
  });
});
