import { MicroBatcher } from './micro-batcher';

/** A write function whose calls the test answers one by one. */
function controlledWrites() {
  const calls: { items: number[]; done: () => void; fail: (e: Error) => void }[] = [];
  const write = (items: number[]): Promise<void> =>
    new Promise((resolve, reject) => calls.push({ items, done: resolve, fail: reject }));
  return { calls, write };
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('MicroBatcher', () => {
  it('writes items added together in one call', async () => {
    const { calls, write } = controlledWrites();
    const batcher = new MicroBatcher(write, { maxBatch: 10, maxConcurrent: 2 });
    const added = [1, 2, 3].map((n) => batcher.add(n));
    await tick();

    expect(calls.map((c) => c.items)).toEqual([[1, 2, 3]]);
    calls[0]?.done();
    await expect(Promise.all(added)).resolves.toEqual([undefined, undefined, undefined]);
  });

  it('while every slot is busy, gathers new items into the next call, at most maxBatch each', async () => {
    const { calls, write } = controlledWrites();
    const batcher = new MicroBatcher(write, { maxBatch: 2, maxConcurrent: 1 });
    void batcher.add(1);
    await tick();
    for (const n of [2, 3, 4]) void batcher.add(n);
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1]]);

    calls[0]?.done();
    await tick();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3]]);
    calls[1]?.done();
    await tick();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3], [4]]);
  });

  it('answers each item with the result the write gave for it', async () => {
    const batcher = new MicroBatcher(
      (items: number[]) => Promise.resolve(items.map((n) => n * 10)),
      {
        maxBatch: 10,
        maxConcurrent: 1,
      },
    );
    await expect(Promise.all([batcher.add(1), batcher.add(2)])).resolves.toEqual([10, 20]);
  });

  it('fails every item of a failed call and keeps writing later ones', async () => {
    const { calls, write } = controlledWrites();
    const batcher = new MicroBatcher(write, { maxBatch: 10, maxConcurrent: 1 });
    const failed = [batcher.add(1), batcher.add(2)];
    await tick();
    calls[0]?.fail(new Error('database down'));
    for (const item of failed) await expect(item).rejects.toThrow('database down');

    const later = batcher.add(3);
    await tick();
    calls[1]?.done();
    await expect(later).resolves.toBeUndefined();
  });
});
