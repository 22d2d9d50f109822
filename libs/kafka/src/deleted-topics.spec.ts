import { Kafka } from 'kafkajs';
import { forgetTopics, guardAgainstDeletedTopics, isUnknownTopicError } from './deleted-topics';

describe('guardAgainstDeletedTopics', () => {
  it('installs on the kafkajs version in use, so every client it creates is guarded', () => {
    const kafka = new Kafka({ brokers: ['127.0.0.1:1'], clientId: 'unit' });
    expect(guardAgainstDeletedTopics(kafka)).toBe(kafka);
    expect(() => kafka.producer()).not.toThrow();
    expect(() => forgetTopics(kafka, ['gone'])).not.toThrow();
  });

  it('refuses to start when the kafkajs internals it relies on are not there', () => {
    expect(() => guardAgainstDeletedTopics({} as Kafka)).toThrow(/kafkajs internals changed/);
  });
});

describe('isUnknownTopicError', () => {
  const unknown = { type: 'UNKNOWN_TOPIC_OR_PARTITION' };

  it('finds the broker error itself or wrapped by kafkajs retries and aggregates', () => {
    expect(isUnknownTopicError(unknown)).toBe(true);
    expect(isUnknownTopicError({ name: 'KafkaJSNumberOfRetriesExceeded', cause: unknown })).toBe(
      true,
    );
    expect(isUnknownTopicError({ errors: [{ type: 'OTHER' }, unknown] })).toBe(true);
  });

  it('is false for any other error', () => {
    expect(isUnknownTopicError(new Error('This server does not host'))).toBe(false);
    expect(isUnknownTopicError({ type: 'LEADER_NOT_AVAILABLE' })).toBe(false);
    expect(isUnknownTopicError(undefined)).toBe(false);
  });
});
