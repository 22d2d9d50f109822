import { httpConsumeRound, type ConsumeWork } from './consume-phase';
import type { HttpAnswer, HttpClient } from './http-client';
import { LoadTally } from './load-tally';
import { PartitionCounts } from './produce-phase';

const work: ConsumeWork = { limit: 2, waitMs: 1000, stallMs: 1000, valueBytes: 1024 };
const callers = [1, 2, 3].map((i) => ({ clientId: `c${i}`, headers: { authorization: `t${i}` } }));

/**
 * A gateway stand-in holding `offsets[p]` (the offsets of partition p's records; gaps are where
 * transaction markers would be) and answering reads as the consume route does.
 */
function fakeGateway(offsets: Record<number, number[]>, failOn?: number) {
  const inFlight = new Set<number>();
  const overlapping: number[] = [];
  const reads: string[] = [];
  const http = {
    send: async (_method: string, path: string): Promise<HttpAnswer> => {
      const query = new URL(path, 'http://x').searchParams;
      const partition = Number(query.get('partition'));
      const from = Number(query.get('fromOffset'));
      const nth = reads.push(`${partition}@${from}`);
      if (inFlight.has(partition)) overlapping.push(partition);
      inFlight.add(partition);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight.delete(partition);
      if (nth === failOn) return { status: 503, body: '{"code":"CONSUME.X"}', ms: 1 };
      const records = (offsets[partition] ?? [])
        .filter((o) => o >= from)
        .slice(0, Number(query.get('limit')))
        .map((o) => ({ partition, offset: String(o), value: { i: o } }));
      const last = records[records.length - 1];
      // Past the last record's marker, as a read-committed reader continues.
      const next = last ? Number(last.offset) + 2 : from;
      return {
        status: 200,
        body: JSON.stringify({ records, nextOffsets: [{ partition, offset: String(next) }] }),
        ms: 1,
      };
    },
  } as unknown as HttpClient;
  return { http, overlapping, reads };
}

function written(offsets: Record<number, number[]>): PartitionCounts {
  const counts = new PartitionCounts();
  for (const [p, list] of Object.entries(offsets)) counts.add(Number(p), list.length);
  return counts;
}

describe('HTTP consume round', () => {
  const offsets = { 0: [0, 2, 4, 6, 8], 1: [0, 2], 2: [0, 2, 4, 6] };

  it('reads every produced record once, continuing each partition at nextOffsets', async () => {
    const gateway = fakeGateway(offsets);
    const tally = new LoadTally();
    await httpConsumeRound(gateway.http, callers, 'orders', written(offsets), work, tally);
    expect(tally.errors).toEqual({});
    expect(tally.records).toBe(11);
    expect(tally.valueBytes).toBe(11 * 1024);
    expect(gateway.reads.filter((r) => r.startsWith('0@'))).toEqual(['0@0', '0@4', '0@8']);
  });

  it('never has two reads of one partition in flight, however many clients', async () => {
    const gateway = fakeGateway(offsets);
    await httpConsumeRound(
      gateway.http,
      callers,
      'orders',
      written(offsets),
      work,
      new LoadTally(),
    );
    expect(gateway.overlapping).toEqual([]);
  });

  it('counts a failed answer by status and problem code and stops the round', async () => {
    const gateway = fakeGateway(offsets, 2);
    const tally = new LoadTally();
    await httpConsumeRound(gateway.http, callers, 'orders', written(offsets), work, tally);
    expect(tally.errors).toEqual({ 'HTTP 503 CONSUME.X': 1 });
    expect(tally.records).toBeLessThan(11);
  });

  it('fails a partition that delivers more records than were produced to it', async () => {
    const gateway = fakeGateway({ 0: [0, 1, 2] });
    const tally = new LoadTally();
    await httpConsumeRound(gateway.http, callers, 'orders', written({ 0: [0] }), work, tally);
    expect(Object.keys(tally.errors)).toEqual([
      'partition 0 delivered more records than were produced',
    ]);
  });
});
