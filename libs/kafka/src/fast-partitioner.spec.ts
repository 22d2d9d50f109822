import { randomBytes } from 'node:crypto';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { FastDefaultPartitioner } from './fast-partitioner';

const metadata = (count: number, leaderless: number[] = []): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: leaderless.includes(partitionId) ? -1 : 0,
    replicas: [0],
    isr: [0],
  }));

describe('FastDefaultPartitioner', () => {
  const kafkajs = Partitioners.DefaultPartitioner();
  const ours = FastDefaultPartitioner();

  it('places every keyed record where kafkajs (and the Java client) would', () => {
    const keys: (string | Buffer)[] = ['', 'a', 'abcd', 'order-42', 'Zoë ✓ 🚀', 'x'.repeat(1001)];
    for (let i = 0; i < 2000; i++) {
      const bytes = randomBytes(i % 37);
      keys.push(bytes, bytes.toString('latin1'), `key-${i}`);
    }
    for (const count of [1, 6, 7, 64]) {
      // A partition without a leader still takes its keys, as in kafkajs.
      const partitionMetadata = metadata(count, [0]);
      for (const key of keys) {
        const message = { key, value: null };
        expect(ours({ topic: 't', partitionMetadata, message })).toBe(
          kafkajs({ topic: 't', partitionMetadata, message }),
        );
      }
    }
  });

  it('keeps a partition given with the record', () => {
    const partitionMetadata = metadata(6);
    expect(
      ours({ topic: 't', partitionMetadata, message: { key: 'k', value: null, partition: 4 } }),
    ).toBe(4);
  });

  it('spreads records without a key over the partitions that have a leader', () => {
    const partitionMetadata = metadata(6, [1, 3]);
    const placed = new Set<number>();
    for (let i = 0; i < 40; i++)
      placed.add(ours({ topic: 't', partitionMetadata, message: { value: null } }));
    expect([...placed].sort()).toEqual([0, 2, 4, 5]);
  });
});
