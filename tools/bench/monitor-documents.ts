/**
 * The monitor's per-record work outside the app: from a consumed record to its bulk lines, as
 * `LogConsumer.readBatch` does it (`toLogDocument`, then `createIndexRequest` into the day's
 * index), and the bulk bodies of 1,000 requests `BulkWriter` sends (`joinRequests`). No Kafka, no
 * Elasticsearch, so the figure (CPU µs per record, GC included) is steadier than the ratios of
 * `bench:monitor` on a shared machine.
 *
 * Run (no npm script; from the repository root):
 *   SWC_NODE_PROJECT=tools/bench/tsconfig.json node -r @swc-node/register tools/bench/monitor-documents.ts
 * BENCH_DOCUMENT_RECORDS (60,000) records of BENCH_RECORD_BYTES (1,024), shaped like bench:monitor's
 * (an envelope whose `data` holds a name, an e-mail and filler), over 4 topics, BENCH_DOCUMENT_ROUNDS
 * (5) rounds; prints each round and the median.
 */
import { performance } from 'node:perf_hooks';
/* eslint-disable @nx/enforce-module-boundaries -- this bench measures the monitor's own code */
import {
  createIndexRequest,
  joinRequests,
  type IndexRequest,
} from '../../apps/monitor/src/elasticsearch/index-request';
import { documentId, LogIndices } from '../../apps/monitor/src/elasticsearch/log-indices';
import { recordTimeMs, toLogDocument } from '../../apps/monitor/src/ingestion/record-document';
import { PersonalDataHasher } from '../../apps/monitor/src/privacy/personal-data-hasher';
/* eslint-enable @nx/enforce-module-boundaries */
import { intFromEnv } from './support/bench-output';
import { buildMonitorValues } from './support/monitor-records';

const RECORDS = intFromEnv('BENCH_DOCUMENT_RECORDS', 60000);
const RECORD_BYTES = intFromEnv('BENCH_RECORD_BYTES', 1024);
const ROUNDS = intFromEnv('BENCH_DOCUMENT_ROUNDS', 5);
const BULK_DOCS = 1000;

const values = buildMonitorValues(RECORDS, RECORD_BYTES);
const keys = Array.from({ length: 1000 }, (_, i) => Buffer.from(`k${i}`));
const hasher = new PersonalDataHasher('bench-key-bench-key-bench-key-bench-key');
const indices = new LogIndices('bench-documents');

/** One pass over every record; returns the bytes of the bulk bodies. */
function round(): number {
  const timestamp = String(Date.now());
  let bodyBytes = 0;
  let batch: IndexRequest[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const topic = `bench.documents.t${i % 4}`;
    const offset = String(i);
    const readAtMs = Date.now();
    const record = {
      topic,
      partition: 0,
      offset,
      timestamp,
      key: keys[i % keys.length] as Buffer,
      value: values[i] as Buffer,
      headers: {},
    };
    const doc = toLogDocument(record, readAtMs, hasher);
    batch.push(
      createIndexRequest(
        indices.daily(recordTimeMs(timestamp, readAtMs)),
        documentId(topic, 0, offset),
        'log',
        doc,
      ),
    );
    if (batch.length === BULK_DOCS) {
      bodyBytes += joinRequests(batch).length;
      batch = [];
    }
  }
  if (batch.length > 0) bodyBytes += joinRequests(batch).length;
  return bodyBytes;
}

const cpuPerRecord: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const bytes = round();
  const used = process.cpuUsage(cpu);
  const cpuUs = (used.user + used.system) / RECORDS;
  cpuPerRecord.push(cpuUs);
  console.log(
    `round ${r + 1}: ${cpuUs.toFixed(2)} CPU µs/record, ${(((performance.now() - started) * 1000) / RECORDS).toFixed(2)} wall µs/record, ${(bytes / RECORDS).toFixed(0)} body bytes/record`,
  );
}
const sorted = [...cpuPerRecord].sort((a, b) => a - b);
console.log(
  `median: ${(sorted[Math.floor(sorted.length / 2)] as number).toFixed(2)} CPU µs/record`,
);
