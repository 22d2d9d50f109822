import type { ConfigService } from '@nestjs/config';
import { createEnvelope } from '@event-hub/contracts';
import type { KafkaProducer } from '@event-hub/kafka';
import type { ProducerRecord, RecordMetadata } from 'kafkajs';
import type { GatewayEnvironment } from '../../config/gateway.environment';
import { PixKafkaPublisher } from './pix-event-publishers';
import { PixEventNotPublishedError } from './pix-event.errors';
import type { PixEvent } from './pix-event-validation';

const paymentId = '7d7e6a1c-3b0e-4c6b-9a51-1f1f3f7f0a11';
const payer = '0e4c2b9f-50b8-4c35-8e2b-3f0c1f4c9a77';

const event = (eventType: string, data: Record<string, unknown>): PixEvent =>
  createEnvelope({
    eventType,
    source: 'operator',
    tenantId: 'acme',
    correlationId: paymentId,
    data,
  }) as PixEvent;

/** A producer standing for Kafka: records what it was asked to send, answers or fails. */
function fakeProducer(answer: () => Promise<RecordMetadata[]>) {
  const sent: ProducerRecord[] = [];
  const producer = {
    producer: {
      send: (record: ProducerRecord) => {
        sent.push(record);
        return answer();
      },
    },
  } as unknown as KafkaProducer;
  return { producer, sent };
}

const config = {
  get: (name: keyof GatewayEnvironment) => (name === 'PIX_TOPIC_PREFIX' ? 'run1.' : ''),
} as unknown as ConfigService<GatewayEnvironment, true>;

const acked = async (): Promise<RecordMetadata[]> => [
  { topicName: 'x', partition: 2, errorCode: 0, baseOffset: '41' },
];

describe('PixKafkaPublisher', () => {
  it('produces to the prefixed topic with acks=all, keyed as the platform keys that topic', async () => {
    const { producer, sent } = fakeProducer(acked);
    const publisher = new PixKafkaPublisher(producer, config);
    const requested = event('pix.payment.requested', { paymentId, payerAccountId: payer });
    const audit = event('pix.audit.log', { subjectId: payer });
    const settled = event('pix.payment.settled', { paymentId });

    expect(await publisher.publish('pix.payment.requested', requested)).toEqual({
      topic: 'run1.pix.payment.requested',
      partition: 2,
      offset: '41',
    });
    await publisher.publish('pix.audit.log', audit);
    await publisher.publish('pix.payment.settled', settled);

    expect(sent.map((r) => [r.topic, r.acks, r.messages[0]?.key])).toEqual([
      ['run1.pix.payment.requested', -1, payer],
      ['run1.pix.audit.log', -1, payer],
      ['run1.pix.payment.settled', -1, paymentId],
    ]);
    expect(JSON.parse(String(sent[2]?.messages[0]?.value))).toEqual(settled);
    expect(sent[2]?.messages[0]?.headers).toMatchObject({
      'event-id': settled.eventId,
      'event-type': 'pix.payment.settled',
      'tenant-id': 'acme',
      'correlation-id': paymentId,
    });
  });

  it('answers 503 naming Kafka when the send fails', async () => {
    const { producer } = fakeProducer(() => Promise.reject(new Error('broker not available')));
    const publisher = new PixKafkaPublisher(producer, config);
    const failure = publisher.publish('pix.payment.settled', event('pix.payment.settled', {}));
    await expect(failure).rejects.toBeInstanceOf(PixEventNotPublishedError);
    await expect(failure).rejects.toMatchObject({
      status: 503,
      code: 'PIX.EVENT_NOT_PUBLISHED',
      extensions: { broker: 'Kafka' },
    });
  });
});
