import { randomBytes } from 'node:crypto';
import { createEnvelope } from '@event-hub/contracts';

/**
 * The values bench:monitor produces (and tools/bench/monitor-documents.ts encodes): envelopes of
 * about `recordBytes` bytes whose `data` holds a name, an e-mail (masked and hashed by the monitor)
 * and base64 filler.
 */
export function buildMonitorValues(count: number, recordBytes: number): Buffer[] {
  const filler = randomBytes(recordBytes).toString('base64');
  const values: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const envelope = createEnvelope({
      eventType: 'bench.record',
      source: 'bench',
      tenantId: 'bench',
      data: { i, name: `user ${i}`, email: `user${i}@example.com`, note: '' },
    });
    const overhead = Buffer.byteLength(JSON.stringify(envelope));
    envelope.data.note = filler.slice(0, Math.max(0, recordBytes - overhead));
    values.push(Buffer.from(JSON.stringify(envelope)));
  }
  return values;
}
