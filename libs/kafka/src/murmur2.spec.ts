import { randomBytes } from 'node:crypto';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { TransactionalPartitioner } from './transactional-partitioner';

const metadata = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({
    partitionErrorCode: 0,
    partitionId,
    leader: 0,
    replicas: [0],
    isr: [0],
  }));

describe('TransactionalPartitioner with its own murmur2', () => {
  const kafkajs = Partitioners.DefaultPartitioner();
  const ours = new TransactionalPartitioner();

  it('places every key where kafkajs (and the Java client) would', () => {
    const keys: (string | Buffer)[] = [
      '',
      'a',
      'ab',
      'abc',
      'abcd',
      'order-42',
      'Zoë ✓ 🚀',
      '\u0080',
      'x'.repeat(1001),
    ];
    for (let i = 0; i < 3000; i++) {
      const bytes = randomBytes(i % 37);
      keys.push(bytes, bytes.toString('latin1'), bytes.toString('base64'), `key-${i}`);
    }
    for (const count of [1, 3, 6, 7, 64]) {
      const partitionMetadata = metadata(count);
      const placed = (partitionOf: (message: { key: string | Buffer; value: null }) => number) =>
        keys.map((key) => partitionOf({ key, value: null }));
      expect(placed((message) => ours.partitionOf('t', count, message))).toEqual(
        placed((message) => kafkajs({ topic: 't', partitionMetadata, message })),
      );
    }
  });
});
