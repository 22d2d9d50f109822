import { createEnvelope } from './event-envelope';
import { envelopeHeaders } from './headers';

describe('envelopeHeaders', () => {
  const envelope = createEnvelope({
    eventType: 'pix.payment.requested',
    source: 'gateway',
    data: {},
    tenantId: 'acme',
    correlationId: 'c-1',
  });

  it('names the envelope’s correlation id, type and id, and the JSON content type', () => {
    expect(envelopeHeaders(envelope)).toEqual({
      'correlation-id': 'c-1',
      'event-type': 'pix.payment.requested',
      'event-id': envelope.eventId,
      'content-type': 'application/json',
    });
  });

  it('adds the tenant header only when given the tenant', () => {
    expect(envelopeHeaders(envelope, 'acme')).toMatchObject({ 'tenant-id': 'acme' });
    expect(envelopeHeaders(envelope)).not.toHaveProperty('tenant-id');
  });
});
