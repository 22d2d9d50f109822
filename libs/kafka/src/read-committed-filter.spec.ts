import { createRequire } from 'node:module';

/**
 * kafkajs's read_committed filter, as patched by patches/kafkajs+2.2.4.patch (applied by the
 * postinstall script). The broker lists a fetch's aborted transactions in the order they ended;
 * unpatched, kafkajs stepped into at most one per record in list order, so the records of the
 * others leaked to read_committed consumers (billing and the monitor would count aborted records).
 */
interface FilteredMessage {
  offset: string;
  key: Buffer;
  batchContext: { producerId: string; inTransaction: boolean };
}
type FilterAbortedMessages = (fetched: {
  messages: FilteredMessage[];
  abortedTransactions: { producerId: string; firstOffset: string }[];
}) => FilteredMessage[];

const filterAbortedMessages = createRequire(__filename)(
  'kafkajs/src/consumer/filterAbortedMessages',
) as FilterAbortedMessages;

const record = (offset: number, producerId: string): FilteredMessage => ({
  offset: String(offset),
  key: Buffer.from('k'),
  batchContext: { producerId, inTransaction: true },
});

describe('kafkajs read_committed filtering (patched)', () => {
  it('drops the records of every aborted transaction, whatever order the broker lists them in', () => {
    const kept = filterAbortedMessages({
      // A fetch from offset 200 into two transactions begun before it and aborted in reverse order.
      messages: [record(200, 'b'), record(201, 'b'), record(202, 'a'), record(203, 'c')],
      abortedTransactions: [
        { producerId: 'b', firstOffset: '160' },
        { producerId: 'a', firstOffset: '150' },
      ],
    });
    expect(kept.map((m) => m.offset)).toEqual(['203']);
  });

  it('keeps a producer’s records that follow its abort marker', () => {
    const marker: FilteredMessage = { ...record(102, 'a'), key: Buffer.from([0, 0, 0, 0]) };
    const kept = filterAbortedMessages({
      messages: [record(100, 'a'), record(101, 'a'), marker, record(103, 'a')],
      abortedTransactions: [{ producerId: 'a', firstOffset: '100' }],
    });
    expect(kept.map((m) => m.offset)).toEqual(['102', '103']);
  });
});
