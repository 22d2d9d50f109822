import { PaymentTally, progressLine, runProblems, summaryLines } from './payment-tally';

function tallyOf(settledMs: number[], rejected: string[] = []): PaymentTally {
  const tally = new PaymentTally();
  settledMs.forEach((ms, i) => {
    tally.sending();
    tally.accept(`s${i}`);
    tally.settle(`s${i}`, ms);
  });
  rejected.forEach((code, i) => {
    tally.sending();
    tally.accept(`r${i}`);
    tally.reject(`r${i}`, code);
  });
  return tally;
}

describe('payment tally', () => {
  it('summarizes sent, settled, rejections by code and nearest-rank p50/p99 request→settled', () => {
    const tally = tallyOf(
      Array.from({ length: 100 }, (_, i) => i + 1),
      ['VELOCITY', 'INSUFFICIENT_FUNDS', 'VELOCITY'],
    );

    const summary = tally.summary();
    expect(summary).toMatchObject({
      sent: 103,
      accepted: 103,
      settled: 100,
      rejected: { VELOCITY: 2, INSUFFICIENT_FUNDS: 1 },
      unexpected: {},
      pending: 0,
    });
    expect(summary.requestToSettledMs).toMatchObject({ p50: 50, p99: 99, max: 100 });
    expect(summaryLines(summary, 2)).toEqual([
      'sent 103 in 2.0 s (51.5/s), accepted 103',
      'settled 100',
      'rejected 3: INSUFFICIENT_FUNDS 1, VELOCITY 2',
      'request→settled ms: p50 50  p99 99  max 100',
      'unexpected answers 0: none',
      'no outcome 0',
    ]);
    expect(runProblems(summary)).toEqual([]);
  });

  it('counts a payment once, by its first outcome, and only payments it accepted', () => {
    const tally = tallyOf([30]);
    tally.settle('s0', 999);
    tally.reject('s0', 'VELOCITY');
    tally.settle('never-accepted', 1);

    expect(tally.summary()).toMatchObject({ settled: 1, rejected: {}, pending: 0 });
    expect(tally.summary().requestToSettledMs.max).toBe(30);
  });

  it('fails the run on unexpected answers and on payments with no outcome', () => {
    const tally = tallyOf([10]);
    tally.sending();
    tally.unexpectedAnswer('POST /pix/payments HTTP 500');
    tally.sending();
    tally.accept('late');

    expect(tally.pendingIds).toEqual(['late']);
    expect(runProblems(tally.summary())).toEqual([
      'unexpected answers: POST /pix/payments HTTP 500 1',
      '1 accepted payments got no outcome in time',
    ]);
  });

  it('prints a progress line with the counts so far', () => {
    expect(progressLine(tallyOf([10, 20], ['SELF_PAYMENT']).summary(), 3.2)).toBe(
      '   3 s  sent 3  settled 2  rejected 1  pending 0  unexpected 0  p50 10 ms',
    );
    expect(progressLine(new PaymentTally().summary(), 0)).toContain('p50 n/a ms');
  });
});
