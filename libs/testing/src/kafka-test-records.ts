import type { IHeaders } from 'kafkajs';
import { testKafka, uniqueName } from './kafka-test-topics';

/** One record as a test reads it back: where it is, its key, value and headers as strings. */
export interface CommittedRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | undefined;
  value: string;
  headers: Record<string, string>;
}

/**
 * Reads topics from the beginning as a read_committed consumer of a group of its own until `until`
 * holds, or fails after `timeoutMs` saying how many it read. Transaction markers occupy offsets
 * too, so high watermarks cannot say how many records to expect.
 */
export async function readCommitted(
  topics: string[],
  until: (records: CommittedRecord[]) => boolean,
  timeoutMs = 30000,
): Promise<CommittedRecord[]> {
  const consumer = testKafka().consumer({ groupId: uniqueName('test.committed-reader') });
  const records: CommittedRecord[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    let done!: () => void;
    const complete = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        records.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString(),
          value: message.value?.toString() ?? '',
          headers: headersOf(message.headers),
        });
        if (until(records)) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      complete,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`read only ${records.length} records`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    return records;
  } finally {
    await consumer.disconnect();
  }
}

/** A record's headers as strings. */
export function headersOf(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, String(v)]));
}
