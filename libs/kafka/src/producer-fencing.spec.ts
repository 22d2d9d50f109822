import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded } from 'kafkajs';
import { isFatalToProducer } from './producer-fencing';

/** A broker error as kafkajs raises it (KafkaJSProtocolError carries the protocol error's type). */
const protocolError = (type: string) =>
  Object.assign(new Error(`broker said ${type}`), { name: 'KafkaJSProtocolError', type });

describe('isFatalToProducer', () => {
  it('recognises the broker saying the producer was fenced or lost its identity', () => {
    // What Kafka 3.9 answers kafkajs 2.2.4 once another incarnation bumped the epoch
    expect(isFatalToProducer(protocolError('INVALID_PRODUCER_EPOCH'))).toBe(true);
    // …what newer protocol versions answer instead
    expect(isFatalToProducer(protocolError('PRODUCER_FENCED'))).toBe(true);
    // the broker's sequence numbers for this producer no longer match the client's
    expect(isFatalToProducer(protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER'))).toBe(true);
  });

  it('looks through the errors kafkajs wraps a bailed or retried request in', () => {
    const fenced = protocolError('INVALID_PRODUCER_EPOCH');
    // kafkajs's retrier bails with KafkaJSNonRetriableError(e, { cause: e }); its types omit the option.
    const bailed = Object.assign(new KafkaJSNonRetriableError(fenced), { cause: fenced });
    expect(isFatalToProducer(bailed)).toBe(true);
    expect(
      isFatalToProducer(
        new KafkaJSNumberOfRetriesExceeded(fenced, { retryCount: 8, retryTime: 1 }),
      ),
    ).toBe(true);
  });

  it('leaves errors a healthy producer can get past to the usual abort', () => {
    expect(isFatalToProducer(protocolError('UNKNOWN_TOPIC_OR_PARTITION'))).toBe(false);
    expect(isFatalToProducer(protocolError('CONCURRENT_TRANSACTIONS'))).toBe(false);
    expect(isFatalToProducer(new Error('Connection error: connect ECONNREFUSED'))).toBe(false);
    expect(isFatalToProducer(undefined)).toBe(false);
  });
});
