import { ConsumePositionError } from './consume.errors';
import { resolvePositions, type PositionLookups } from './resolve-positions';

const watermarks = [
  { partition: 0, low: 0n, high: 10n },
  { partition: 1, low: 5n, high: 8n },
];
const lookups: PositionLookups = {
  offsetsAt: async () =>
    new Map([
      [0, 3n],
      [1, -1n],
    ]),
  groupOffsets: async () => new Map([[0, 7n]]),
};
const resolve = (position: Parameters<typeof resolvePositions>[0], partition?: number) =>
  resolvePositions(position, watermarks, partition, lookups).then((m) => Object.fromEntries(m));

describe('resolvePositions', () => {
  it('starts every partition at its earliest retained record by default', async () => {
    expect(await resolve({ kind: 'earliest' })).toEqual({ 0: '0', 1: '5' });
  });

  it('reads one offset on every partition, from the earliest retained when it is older', async () => {
    expect(await resolve({ kind: 'offset', offset: 6n })).toEqual({ 0: '6', 1: '6' });
    expect(await resolve({ kind: 'offset', offset: 2n })).toEqual({ 0: '2', 1: '5' });
  });

  it('refuses an offset past the end of a partition, naming its range', async () => {
    const error = await resolve({ kind: 'offset', offset: 9n }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConsumePositionError);
    expect((error as ConsumePositionError).extensions['range']).toEqual({
      partition: 1,
      low: '5',
      high: '8',
    });
  });

  it('reads only the listed partitions of per-partition offsets, and refuses unknown ones', async () => {
    expect(await resolve({ kind: 'offsets', offsets: new Map([[1, 8n]]) })).toEqual({ 1: '8' });
    await expect(resolve({ kind: 'offsets', offsets: new Map([[2, 0n]]) })).rejects.toBeInstanceOf(
      ConsumePositionError,
    );
  });

  it('narrows to one partition', async () => {
    expect(await resolve({ kind: 'offset', offset: 6n }, 1)).toEqual({ 1: '6' });
    await expect(resolve({ kind: 'earliest' }, 3)).rejects.toBeInstanceOf(ConsumePositionError);
  });

  it('starts a time lookup that found nothing at the end of the partition', async () => {
    expect(await resolve({ kind: 'time', at: new Date() })).toEqual({ 0: '3', 1: '8' });
  });

  it('starts a group at its committed offsets, the earliest where it has none', async () => {
    expect(await resolve({ kind: 'group', group: 'g' })).toEqual({ 0: '7', 1: '5' });
  });
});
