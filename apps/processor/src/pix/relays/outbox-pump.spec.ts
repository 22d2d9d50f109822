import { OutboxPump, type PumpRound } from './outbox-pump';

const OPTIONS = { batchSize: 2, idleMs: 1, maxIdleMs: 4, emptyRoundClears: true };

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('OutboxPump', () => {
  it('runs full rounds back to back until a round comes back short', async () => {
    const rounds: PumpRound[] = [
      { published: 2, failed: 0 },
      { published: 2, failed: 0 },
      { published: 1, failed: 0 },
    ];
    const drained = deferred<void>();
    const seen: number[] = [];
    const pump = new OutboxPump(
      'test',
      async () => {
        const next = rounds.shift() ?? { published: 0, failed: 0 };
        if (rounds.length === 0) drained.resolve();
        return next;
      },
      OPTIONS,
      (round) => seen.push(round.published),
    );
    pump.start();
    await drained.promise;
    await pump.stop();
    expect(seen.slice(0, 3)).toEqual([2, 2, 1]);
  });

  it('lets the round under way finish before stop resolves', async () => {
    const entered = deferred<void>();
    const release = deferred<PumpRound>();
    let finished = false;
    const pump = new OutboxPump(
      'test',
      async () => {
        entered.resolve();
        const round = await release.promise;
        finished = true;
        return round;
      },
      OPTIONS,
    );
    pump.start();
    await entered.promise;
    const stopped = pump.stop();
    release.resolve({ published: 0, failed: 0 });
    await stopped;
    expect(finished).toBe(true);
    expect(pump.status().running).toBe(false);
  });

  it('reports failing rounds with their error until one succeeds again', async () => {
    const outcomes: (PumpRound | Error)[] = [
      new Error('broker down'),
      { published: 0, failed: 3, error: 'nack' },
    ];
    const failedTwice = deferred<void>();
    const recovered = deferred<void>();
    const pump = new OutboxPump(
      'test',
      async () => {
        const next = outcomes.shift();
        if (next instanceof Error) throw next;
        if (next) {
          failedTwice.resolve();
          return next;
        }
        recovered.resolve();
        return { published: 0, failed: 0 };
      },
      OPTIONS,
    );
    pump.start();
    await failedTwice.promise;
    // The status is updated once the round's outcome is handled: wait for the next round to start.
    await recovered.promise;
    const during = pump.status();
    await pump.stop();
    expect(during.lastError).toBe('nack');
    expect(during.consecutiveFailures).toBe(2);
    expect(pump.status().consecutiveFailures).toBe(0);
    expect(pump.status().lastSuccessAt).toBeDefined();
  });

  it('keeps a failure of a relay that postpones its rows until a round publishes again', async () => {
    const outcomes: PumpRound[] = [
      { published: 0, failed: 1, error: 'connection refused' },
      { published: 0, failed: 0 },
    ];
    const idleAfterFailure = deferred<void>();
    const published = deferred<void>();
    let during: ReturnType<OutboxPump['status']> | undefined;
    const pump = new OutboxPump(
      'test',
      async () => {
        const next = outcomes.shift();
        if (next) return next;
        if (!during) {
          during = pump.status();
          idleAfterFailure.resolve();
          return { published: 0, failed: 0 };
        }
        published.resolve();
        return { published: 1, failed: 0 };
      },
      { ...OPTIONS, emptyRoundClears: false },
    );
    pump.start();
    await idleAfterFailure.promise;
    await published.promise;
    await pump.stop();
    expect(during?.consecutiveFailures).toBe(1);
    expect(pump.status().consecutiveFailures).toBe(0);
  });

  it('clears a failure of a round that threw (Postgres away) at the next round that runs', async () => {
    const outcomes: (PumpRound | Error)[] = [new Error('connection terminated')];
    const ranAgain = deferred<void>();
    let after: ReturnType<OutboxPump['status']> | undefined;
    let rounds = 0;
    const pump = new OutboxPump(
      'test',
      async () => {
        rounds += 1;
        const next = outcomes.shift();
        if (next instanceof Error) throw next;
        if (rounds === 3) {
          after = pump.status();
          ranAgain.resolve();
        }
        return { published: 0, failed: 0 };
      },
      { ...OPTIONS, emptyRoundClears: false },
    );
    pump.start();
    await ranAgain.promise;
    await pump.stop();
    expect(after?.consecutiveFailures).toBe(0);
  });
});
