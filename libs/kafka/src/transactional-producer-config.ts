import type { ProducerConfig } from 'kafkajs';

/**
 * The kafkajs settings of one slot of a {@link TransactionalProducer} answering within `timeoutMs`.
 * A failed send only aborts the transaction (nothing is half-written), so a few retries do, within
 * milliseconds rather than kafkajs's default 300 ms. (A transaction begun right after a commit may
 * meet CONCURRENT_TRANSACTIONS while the coordinator writes the markers: the patched kafkajs sends
 * that first AddPartitionsToTxn again after 20 ms itself, see patches/kafkajs+2.2.4.patch.)
 */
export function transactionalProducerConfig(
  transactionalId: string,
  timeoutMs: number,
): ProducerConfig {
  return {
    transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    retry: { retries: 8, initialRetryTime: 10, maxRetryTime: 1000 },
    // Long enough for any transaction still to be committed; the coordinator aborts after it.
    transactionTimeout: Math.max(10000, 3 * timeoutMs),
  };
}
