import { ChunkCombiner } from './chunk-combiner';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ChunkCombiner', () => {
  it('handles the chunks given in one turn together, each caller answered for its own items', async () => {
    const calls: string[][] = [];
    const combiner = new ChunkCombiner<string, string>(
      async (items) => {
        calls.push(items);
        return items.map((i) => i.toUpperCase());
      },
      { inFlight: 2, maxItems: 50 },
    );
    const answers = await Promise.all([
      combiner.run(['a', 'b']),
      combiner.run(['c']),
      combiner.run(['d', 'e']),
    ]);
    expect(calls).toEqual([['a', 'b', 'c', 'd', 'e']]);
    expect(answers).toEqual([['A', 'B'], ['C'], ['D', 'E']]);
  });

  it('runs at most inFlight at once; chunks waiting meanwhile go together, whole, up to maxItems', async () => {
    const calls: string[][] = [];
    const gate = deferred<void>();
    const combiner = new ChunkCombiner<string, string>(
      async (items) => {
        calls.push(items);
        if (calls.length === 1) await gate.promise;
        return items;
      },
      { inFlight: 1, maxItems: 3 },
    );
    const first = combiner.run(['a']);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [combiner.run(['b', 'c']), combiner.run(['d', 'e']), combiner.run(['f'])];
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toEqual([['a']]);
    gate.resolve();
    await Promise.all([first, ...later]);
    // b+c then d+e would be 4 > 3: d+e waits for the next call, with f.
    expect(calls).toEqual([['a'], ['b', 'c'], ['d', 'e', 'f']]);
  });

  it('fails every chunk of a call that failed, and goes on with the next', async () => {
    const combiner = new ChunkCombiner<string, string>(
      async (items) => {
        if (items.includes('bad')) throw new Error('value too long');
        return items;
      },
      { inFlight: 1, maxItems: 50 },
    );
    const results = await Promise.allSettled([combiner.run(['a']), combiner.run(['bad'])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(combiner.run(['c'])).resolves.toEqual(['c']);
  });
});
