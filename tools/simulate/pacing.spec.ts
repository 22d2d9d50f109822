import { dueAt, dueBy, pace, sendsIn } from './pacing';

describe('pacing', () => {
  it('spaces sends 1/rate apart from the start, the first at once', () => {
    expect([0, 1, 2, 50].map((i) => dueAt(i, 50))).toEqual([0, 20, 40, 1000]);
    expect(dueBy(0, 50, 100)).toBe(1);
    expect(dueBy(19.9, 50, 100)).toBe(1);
    expect(dueBy(20, 50, 100)).toBe(2);
    expect(dueBy(999, 50, 100)).toBe(50);
    expect(dueBy(10_000, 50, 100)).toBe(100);
    expect(dueBy(-1, 50, 100)).toBe(0);
  });

  it('makes every send due at once at rate ∞', () => {
    expect(dueAt(1000, Infinity)).toBe(0);
    expect(dueBy(0, Infinity, 500)).toBe(500);
  });

  it('sends rate × duration, at least one', () => {
    expect(sendsIn(50, 60)).toBe(3000);
    expect(sendsIn(2.5, 3)).toBe(7);
    expect(sendsIn(0.1, 1)).toBe(1);
  });

  it('sends every payment once, at the rate asked, never more in flight than allowed', async () => {
    const started: number[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const result = await pace({
      rate: 200,
      total: 20,
      maxInFlight: 3,
      send: async (i) => {
        started.push(i);
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 10));
        inFlight -= 1;
      },
    });

    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(result.sent).toBe(20);
    expect(mostInFlight).toBeLessThanOrEqual(3);
    // 20 sends at 200/s: the last is due at 95 ms.
    expect(result.elapsedMs).toBeGreaterThanOrEqual(95);
    expect(inFlight).toBe(0);
  });

  it('counts sends the in-flight cap held back as late, and waits for failed sends too', async () => {
    // Counted, not timed: a 120 ms timer may fire a fraction of a millisecond early by the
    // performance clock, so 4 × 120 ms of sends can measure 479.98 ms.
    let failed = 0;
    const result = await pace({
      rate: 1000,
      total: 4,
      maxInFlight: 1,
      send: async () => {
        await new Promise((resolve) => setTimeout(resolve, 120));
        failed += 1;
        throw new Error('refused');
      },
    });

    expect(result).toMatchObject({ sent: 4, late: 3 });
    expect(failed).toBe(4);
  });
});
