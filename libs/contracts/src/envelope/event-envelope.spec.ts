import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { createEnvelope } from './event-envelope';
import { eventEnvelopeSchema } from './event-envelope.schema';

describe('event envelope', () => {
  const validate = addFormats(new Ajv({ strict: true })).compile(eventEnvelopeSchema);

  it('creates envelopes that satisfy its own JSON Schema', () => {
    const envelope = createEnvelope({
      eventType: 'user.create_requested',
      source: 'gateway',
      data: { name: 'Ana' },
      clientId: 'web',
      tenantId: 'acme',
    });
    expect(validate(envelope)).toBe(true);
  });

  it('keeps a given correlation id and links the cause', () => {
    const correlationId = '7d7e6a1c-3b0e-4c6b-9a51-1f1f3f7f0a11';
    const causationId = '0e4c2b9f-50b8-4c35-8e2b-3f0c1f4c9a77';
    const envelope = createEnvelope({
      eventType: 'user.created',
      source: 'processor',
      data: {},
      correlationId,
      causationId,
    });
    expect(envelope.metadata).toEqual({ correlationId, causationId });
  });

  it('rejects an envelope without a correlation id', () => {
    const envelope = createEnvelope({ eventType: 'user.created', source: 'x', data: {} });
    const broken = { ...envelope, metadata: {} };
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.[0]?.params).toEqual({ missingProperty: 'correlationId' });
  });
});
