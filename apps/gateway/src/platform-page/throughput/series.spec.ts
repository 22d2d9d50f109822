import { seriesFromSamples, type SeriesDefinition } from './series';

const DEFINITIONS: SeriesDefinition[] = [
  { id: 'done', label: 'Done /s', app: 'processor', metric: 'done_total', kind: 'rate' },
  { id: 'lag', label: 'Lag', app: 'processor', metric: 'lag', kind: 'gauge' },
];
const T0 = Date.parse('2026-12-06T12:00:00.000Z');
const at = (seconds: number) => T0 + seconds * 1000;

describe('sparkline series from the sampled metrics', () => {
  it('turns a counter into a per-second rate between samples, and shows a gauge as is', () => {
    const [rate, gauge] = seriesFromSamples(
      [
        { at: at(0), values: { done: 100, lag: 7 } },
        { at: at(5), values: { done: 150, lag: 3 } },
        { at: at(10), values: { done: 151, lag: 0 } },
      ],
      DEFINITIONS,
    );
    expect(rate?.points).toEqual([
      { at: '2026-12-06T12:00:05.000Z', value: 10 },
      { at: '2026-12-06T12:00:10.000Z', value: 0.2 },
    ]);
    expect(gauge?.points.map((p) => p.value)).toEqual([7, 3, 0]);
  });

  it('takes a counter that went down as restarted from zero, as Prometheus does', () => {
    const [rate] = seriesFromSamples(
      [
        { at: at(0), values: { done: 500 } },
        { at: at(5), values: { done: 20 } },
      ],
      DEFINITIONS,
    );
    expect(rate?.points.map((p) => p.value)).toEqual([4]);
  });

  it('leaves a gap, not a zero, where an app did not answer', () => {
    const [rate, gauge] = seriesFromSamples(
      [
        { at: at(0), values: { done: 1, lag: 2 } },
        { at: at(5), values: { done: undefined, lag: undefined } },
        { at: at(10), values: { done: 11, lag: 2 } },
      ],
      DEFINITIONS,
    );
    expect(rate?.points.map((p) => p.value)).toEqual([null, null]);
    expect(gauge?.points.map((p) => p.value)).toEqual([2, null, 2]);
  });
});
