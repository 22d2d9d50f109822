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

  describe('nudged by a commit', () => {
    /** A poll so slow that only a nudge can make a round run within a test. */
    const SLOW = { ...OPTIONS, idleMs: 60_000, maxIdleMs: 60_000 };

    it('ends the pause at once: rows announced after an empty round are published now', async () => {
      const sleeping = deferred<void>();
      const second = deferred<void>();
      let rounds = 0;
      const pump = new OutboxPump(
        'test',
        async () => {
          rounds += 1;
          if (rounds === 1) setImmediate(() => sleeping.resolve());
          else second.resolve();
          return { published: 0, failed: 0 };
        },
        SLOW,
      );
      pump.start();
      await sleeping.promise;
      pump.nudge();
      await second.promise;
      await pump.stop();
      expect(rounds).toBeGreaterThanOrEqual(2);
    });

    it('during a round, runs one more round right after it (the round may have looked too early)', async () => {
      const inRound = deferred<void>();
      const release = deferred<PumpRound>();
      const again = deferred<void>();
      let rounds = 0;
      const pump = new OutboxPump(
        'test',
        async () => {
          rounds += 1;
          if (rounds === 1) {
            inRound.resolve();
            return release.promise;
          }
          again.resolve();
          return { published: 0, failed: 0 };
        },
        SLOW,
      );
      pump.start();
      await inRound.promise;
      pump.nudge();
      pump.nudge();
      release.resolve({ published: 1, failed: 0 });
      await again.promise;
      // Two nudges during one round: one more round, then the pause.
      await new Promise((resolve) => setTimeout(resolve, 20));
      await pump.stop();
      expect(rounds).toBe(2);
    });

    it('does not cut short the backoff after a failed round', async () => {
      const failedOnce = deferred<void>();
      let rounds = 0;
      const pump = new OutboxPump(
        'test',
        async () => {
          rounds += 1;
          setImmediate(() => failedOnce.resolve());
          throw new Error('connection refused');
        },
        SLOW,
      );
      pump.start();
      await failedOnce.promise;
      pump.nudge();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await pump.stop();
      expect(rounds).toBe(1);
    });
  });
});
