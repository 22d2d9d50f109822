import { outcomeOf } from './payment-outcome';

const view = (timeline: object[], rejectionCode: string | null = null) =>
  JSON.stringify({ id: 'p1', state: 'notified', rejectionCode, timeline });

describe('payment outcome from GET /pix/payments/:id', () => {
  it('is settled, at the time the timeline gives, even once notified', () => {
    expect(
      outcomeOf(
        view([
          { stage: 'requested', at: '2026-12-06T15:00:00.000Z', detail: null },
          { stage: 'validated', at: '2026-12-06T15:00:00.020Z', detail: null },
          { stage: 'settled', at: '2026-12-06T15:00:00.045Z', detail: null },
          { stage: 'notified', at: '2026-12-06T15:00:00.090Z', detail: null },
        ]),
      ),
    ).toEqual({ kind: 'settled', settledAt: Date.parse('2026-12-06T15:00:00.045Z') });
  });

  it('is rejected with its code', () => {
    expect(
      outcomeOf(
        view(
          [{ stage: 'rejected', at: '2026-12-06T15:00:00.000Z', detail: 'VELOCITY' }],
          'VELOCITY',
        ),
      ),
    ).toEqual({ kind: 'rejected', code: 'VELOCITY' });
  });

  it('is pending while accepted, requested or validated', () => {
    expect(outcomeOf(view([]))).toEqual({ kind: 'pending' });
    expect(outcomeOf(view([{ stage: 'validated', at: '2026-12-06T15:00:00.000Z' }]))).toEqual({
      kind: 'pending',
    });
  });

  it('is nothing for a body that is not a payment view', () => {
    expect(outcomeOf('not json')).toBeUndefined();
    expect(outcomeOf('{"state":"settled"}')).toBeUndefined();
    expect(outcomeOf(view([{ stage: 'settled', at: 'yesterday' }]))).toBeUndefined();
  });
});
