import { createRequire } from 'node:module';

/**
 * kafkajs's grouping of a send's messages by partition, as patched by patches/kafkajs+2.2.4.patch:
 * it copied a partition's whole array for every message added (quadratic in the messages per
 * partition: the gateway's transactions carry a few hundred), and now appends. Each partition
 * must still get its messages in the order given.
 */
interface Grouped {
  [partition: string]: { value: string; partition: number }[];
}
const load = createRequire(__filename);
const groupMessagesPerPartition = load('kafkajs/src/producer/groupMessagesPerPartition') as (
  options: Record<string, unknown>,
) => Grouped;

const partitioner = () => (args: { message: { partition: number } }) => args.message.partition;
const partitionMetadata = [0, 1, 2].map((partitionId) => ({ partitionId, leader: 0 }));

describe("kafkajs's grouping of a send's messages by partition", () => {
  it('gives each partition its messages in the order given', () => {
    const messages = Array.from({ length: 300 }, (_, i) => ({ value: `m${i}`, partition: i % 3 }));

    const grouped = groupMessagesPerPartition({
      topic: 't',
      partitionMetadata,
      messages,
      partitioner: partitioner(),
    });

    expect(Object.keys(grouped).sort()).toEqual(['0', '1', '2']);
    for (const partition of [0, 1, 2]) {
      expect(grouped[partition]).toEqual(messages.filter((m) => m.partition === partition));
    }
  });

  it('leaves out partitions no message goes to', () => {
    const grouped = groupMessagesPerPartition({
      topic: 't',
      partitionMetadata,
      messages: [{ value: 'a', partition: 2 }],
      partitioner: partitioner(),
    });

    expect(grouped).toEqual({ 2: [{ value: 'a', partition: 2 }] });
  });

  it('groups nothing for a topic without partition metadata', () => {
    expect(
      groupMessagesPerPartition({
        topic: 't',
        partitionMetadata: [],
        messages: [{ value: 'a', partition: 0 }],
        partitioner: partitioner(),
      }),
    ).toEqual({});
  });
});
