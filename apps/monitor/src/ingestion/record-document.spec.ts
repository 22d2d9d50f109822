import { createEnvelope } from '@event-hub/contracts';
import { PersonalDataHasher } from '../privacy/personal-data-hasher';
import { toLogDocument as toLogDocumentWith, type ConsumedRecord } from './record-document';

const READ_AT = Date.UTC(2025, 0, 31, 12, 0, 0);

function record(
  value: Buffer | string | null,
  extra: Partial<ConsumedRecord> = {},
): ConsumedRecord {
  return {
    topic: 'user_events',
    partition: 2,
    offset: '41',
    timestamp: String(Date.UTC(2025, 0, 31, 11, 59, 59, 250)),
    key: Buffer.from('user-1'),
    value: typeof value === 'string' ? Buffer.from(value) : value,
    ...extra,
  };
}

const hasher = new PersonalDataHasher('unit-test-key-unit-test-key-unit-test-key');
const toLogDocument = (record: ConsumedRecord, readAtMs: number) =>
  toLogDocumentWith(record, readAtMs, hasher);

describe('record → log document', () => {
  it('maps our envelope: event fields as keywords, data as payload, the value as text', () => {
    const envelope = createEnvelope({
      eventType: 'users.create_user',
      source: 'gateway',
      tenantId: 'acme',
      correlationId: '7d7e6a1c-3b0e-4c6b-9a51-1f1f3f7f0a11',
      causationId: '0e4c2b9f-50b8-4c35-8e2b-3f0c1f4c9a77',
      clientId: 'web',
      data: { userId: 'u-1' },
    });
    const value = JSON.stringify(envelope);

    expect(
      toLogDocument(record(value, { headers: { 'event-type': Buffer.from('other') } }), READ_AT),
    ).toEqual({
      '@timestamp': '2025-01-31T11:59:59.250Z',
      readAt: '2025-01-31T12:00:00.000Z',
      topic: 'user_events',
      partition: 2,
      offset: 41,
      key: 'user-1',
      headers: { 'event-type': 'other' },
      format: 'envelope',
      eventId: envelope.eventId,
      eventType: 'users.create_user',
      source: 'gateway',
      tenantId: 'acme',
      version: '1.0',
      correlationId: envelope.metadata.correlationId,
      causationId: envelope.metadata.causationId,
      clientId: 'web',
      payload: { userId: 'u-1' },
      message: value,
      valueBytes: Buffer.byteLength(value),
      parseError: false,
    });
  });

  it('keeps plain JSON as the payload, wrapping what is not an object, and takes flow fields from headers', () => {
    const headers = {
      'correlation-id': Buffer.from('c-1'),
      'event-type': Buffer.from('orders.placed'),
    };
    expect(toLogDocument(record('{"sku":"A-1","qty":3}', { headers }), READ_AT)).toMatchObject({
      format: 'json',
      payload: { sku: 'A-1', qty: 3 },
      correlationId: 'c-1',
      eventType: 'orders.placed',
      parseError: false,
    });
    expect(toLogDocument(record('[1,2]'), READ_AT).payload).toEqual({ value: [1, 2] });
    expect(toLogDocument(record('"text"'), READ_AT).payload).toEqual({ value: 'text' });
    expect(toLogDocument(record('null'), READ_AT).payload).toEqual({ value: null });
    // Looks like an envelope only when typed and sourced with data.
    expect(toLogDocument(record('{"eventType":"x.y","data":{}}'), READ_AT)).toMatchObject({
      format: 'json',
      payload: { eventType: 'x.y', data: {} },
    });
  });

  it('keeps text that is not JSON, flagged with the parse error', () => {
    const doc = toLogDocument(record('hello {world'), READ_AT);
    expect(doc).toMatchObject({ format: 'text', message: 'hello {world', parseError: true });
    expect(doc.parseErrorReason).toMatch(/^value is not JSON: /);
    expect(doc).not.toHaveProperty('payload');
  });

  it('keeps binary values and keys as base64', () => {
    const bytes = Buffer.from([0xff, 0x00, 0xc3, 0x28, 0x10]);
    const doc = toLogDocument(record(bytes, { key: Buffer.from([0xc3, 0x28]) }), READ_AT);
    expect(doc).toMatchObject({
      format: 'binary',
      rawBase64: bytes.toString('base64'),
      key: 'wyg=',
      keyEncoding: 'base64',
      valueBytes: 5,
      parseError: true,
    });
    expect(doc).not.toHaveProperty('message');
    // Valid UTF-8 with NUL bytes is not text anyone searches either.
    expect(toLogDocument(record(Buffer.from('a\u0000b')), READ_AT).format).toBe('binary');
  });

  it('indexes tombstones and records without key, headers or timestamp', () => {
    const doc = toLogDocument(record(null, { key: null, timestamp: '-1' }), READ_AT);
    expect(doc).toEqual({
      '@timestamp': '2025-01-31T12:00:00.000Z',
      readAt: '2025-01-31T12:00:00.000Z',
      topic: 'user_events',
      partition: 2,
      offset: 41,
      format: 'empty',
      valueBytes: 0,
      parseError: false,
    });
  });

  describe('personal data', () => {
    const cpf = '52998224725';
    const createUser = createEnvelope({
      eventType: 'users.create_user',
      source: 'gateway',
      tenantId: 'acme',
      data: { userId: 'u-1', name: 'Ana Souza', email: 'Ana@Example.com', document: cpf },
    });

    it('masks the fields the topic catalog marks, and stores their keyed hashes', () => {
      const value = JSON.stringify(createUser);
      const doc = toLogDocument(record(value), READ_AT);
      expect(doc.payload).toEqual({
        userId: 'u-1',
        name: 'A** S**',
        email: 'A**@Example.com',
        document: '***982247**',
      });
      expect(doc.piiHashes).toEqual(
        expect.arrayContaining(['ana souza', 'ana@example.com', cpf].map((v) => hasher.hash(v))),
      );
      for (const clear of ['Ana Souza', 'Ana@Example.com', cpf]) {
        expect(JSON.stringify(doc)).not.toContain(clear);
      }
    });

    it("rebuilds the message from the masked data in the envelope's own key order, hashes in catalog order", () => {
      const doc = toLogDocument(record(JSON.stringify(createUser)), READ_AT);
      const masked = {
        userId: 'u-1',
        name: 'A** S**',
        email: 'A**@Example.com',
        document: '***982247**',
      };
      expect(doc.message).toBe(JSON.stringify({ ...createUser, data: masked }));
      expect(doc.piiHashes).toEqual(
        ['ana souza', 'ana@example.com', cpf].map((v) => hasher.hash(v)),
      );
    });

    it('masks e-mails and CPFs in any text of any topic: values, key, headers, parse errors', () => {
      const doc = toLogDocument(
        record('ana@example.com paid; CPF 529.982.247-25', {
          topic: 'tenant.acme.orders',
          key: Buffer.from('bob@example.org'),
          headers: { note: Buffer.from(`owner ${cpf}`), 'correlation-id': Buffer.from('c-9') },
        }),
        READ_AT,
      );
      expect(doc.message).toBe('a**@example.com paid; CPF ***.982.247-**');
      expect(doc.key).toBe('b**@example.org');
      expect(doc.headers).toEqual({ note: 'owner ***982247**', 'correlation-id': 'c-9' });
      expect(doc.parseErrorReason).not.toContain('ana@');
      expect(doc.piiHashes).toEqual(
        expect.arrayContaining(
          ['ana@example.com', 'bob@example.org', cpf].map((v) => hasher.hash(v)),
        ),
      );
      const json = toLogDocument(
        record('{"contact":{"emails":["ana@example.com"]},"id":"12345678901"}', {
          topic: 'tenant.acme.crm',
        }),
        READ_AT,
      );
      expect(json.payload).toEqual({ contact: { emails: ['a**@example.com'] }, id: '12345678901' });
      expect(json.message).not.toContain('ana@example.com');
    });

    it('masks a value under a `__proto__` key as an own property, leaving the prototype alone', () => {
      const doc = toLogDocument(
        record('{"__proto__":{"email":"ana@example.com"},"list":[1,"bob@example.org"]}', {
          topic: 'tenant.acme.crm',
        }),
        READ_AT,
      );
      const payload = doc.payload as Record<string, unknown>;
      expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(payload, '__proto__')?.value).toEqual({
        email: 'a**@example.com',
      });
      expect(payload['list']).toEqual([1, 'b**@example.org']);
    });

    it('leaves numbers that are not a CPF and identifiers alone', () => {
      const doc = toLogDocument(
        record('{"phone":"11987654321","order":"a52998224725","long":"529982247250"}'),
        READ_AT,
      );
      expect(doc.payload).toEqual({
        phone: '11987654321',
        order: 'a52998224725',
        long: '529982247250',
      });
      expect(doc).not.toHaveProperty('piiHashes');
    });
  });

  describe('tenant', () => {
    it("takes a tenant topic's owner from the topic name, whatever the record claims", () => {
      const claimed = createEnvelope({
        eventType: 'orders.placed',
        source: 'acme-shop',
        tenantId: 'globex',
        data: {},
      });
      const doc = toLogDocument(
        record(JSON.stringify(claimed), {
          topic: 'tenant.acme.orders',
          headers: { 'tenant-id': Buffer.from('globex') },
        }),
        READ_AT,
      );
      expect(doc.tenantId).toBe('acme');
    });

    it("takes a platform record's tenant from its envelope, else from the tenant-id header", () => {
      expect(
        toLogDocument(
          record('{"usage":1}', {
            topic: 'usage_events',
            headers: { 'tenant-id': Buffer.from('acme') },
          }),
          READ_AT,
        ).tenantId,
      ).toBe('acme');
      expect(
        toLogDocument(record('{"x":1}', { topic: 'pix.audit.log' }), READ_AT),
      ).not.toHaveProperty('tenantId');
    });
  });

  it('keeps the trace id of the traceparent header, so the record links to its trace', () => {
    const traced = (traceparent: string) =>
      toLogDocument(record('{}', { headers: { traceparent: Buffer.from(traceparent) } }), READ_AT);
    expect(traced('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01').traceId).toBe(
      '4bf92f3577b34da6a3ce929d0e0e4736',
    );
    expect(traced('not a traceparent')).not.toHaveProperty('traceId');
    expect(toLogDocument(record('{}'), READ_AT)).not.toHaveProperty('traceId');
  });
});
