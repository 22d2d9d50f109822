import { PRODUCER_HEADERS } from '../../shared/platform-headers';
import { assertWithinProduceLimits, encodeRecord } from './record-encoding';
import { ProduceLimitExceededError } from './produce.errors';

const producer = { tenantId: 'acme', clientId: 'ehc_1' };
const limits = { maxRecords: 3, maxRecordBytes: 20, maxRequestBytes: 40 };

function limitOf(action: () => unknown): Record<string, unknown> {
  try {
    action();
  } catch (error) {
    if (error instanceof ProduceLimitExceededError)
      return { status: error.status, ...error.extensions };
    throw error;
  }
  throw new Error('no limit exceeded');
}

describe('encoding a produced record', () => {
  it('writes the value as JSON and records the producing client and tenant', () => {
    const { message } = encodeRecord(
      { key: 'k', value: { a: 1 }, headers: { trace: 'x' } },
      producer,
    );
    expect(message).toEqual({
      key: 'k',
      value: '{"a":1}',
      headers: {
        trace: 'x',
        [PRODUCER_HEADERS.clientId]: 'ehc_1',
        [PRODUCER_HEADERS.tenantId]: 'acme',
        'content-type': 'application/json',
      },
    });
  });

  it('never lets a client pose as another client or tenant', () => {
    const { message } = encodeRecord(
      { value: 1, headers: { 'client-id': 'someone', 'Tenant-Id': 'other' } },
      producer,
    );
    expect(message.headers).toMatchObject({ 'client-id': 'ehc_1', 'tenant-id': 'acme' });
    expect(message.headers).not.toHaveProperty('Tenant-Id');
  });

  it('counts the bytes the client sent: key, JSON value and its own headers', () => {
    // key "ké" is 3 bytes, value "\"x\"" 3 bytes, header "h"+"vv" 3 bytes
    expect(encodeRecord({ key: 'ké', value: 'x', headers: { h: 'vv' } }, producer).bytes).toBe(9);
  });
});

describe('produce limits', () => {
  const sized = (...bytes: number[]) => bytes.map((b) => ({ bytes: b }));

  it('accepts a request at every limit and returns its bytes', () => {
    expect(assertWithinProduceLimits(sized(20, 20), limits)).toBe(40);
  });

  it('answers 413 naming maxRecords for too many records', () => {
    expect(limitOf(() => assertWithinProduceLimits(sized(1, 1, 1, 1), limits))).toEqual({
      status: 413,
      limit: 'maxRecords',
      max: 3,
    });
  });

  it('answers 413 naming maxRecordBytes and the record for a record too large', () => {
    expect(limitOf(() => assertWithinProduceLimits(sized(1, 21), limits))).toEqual({
      status: 413,
      limit: 'maxRecordBytes',
      max: 20,
      field: 'records[1]',
    });
  });

  it('answers 413 naming maxRequestBytes when the records together are too large', () => {
    expect(limitOf(() => assertWithinProduceLimits(sized(20, 20, 1), limits))).toMatchObject({
      limit: 'maxRequestBytes',
      max: 40,
    });
  });
});
