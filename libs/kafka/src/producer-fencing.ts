/**
 * Kafka errors after which a transactional producer instance can never write again: another
 * incarnation of its transactional id (or the coordinator, timing out a transaction) bumped the
 * epoch, the coordinator forgot its producer id, or its sequence numbers no longer match the
 * broker's. Only a new producer (InitProducerId: new epoch, sequences from zero) gets past them.
 *
 * kafkajs 2.2.4 neither re-initialises on them nor marks the producer unusable, and its `abort()`
 * sends nothing to the broker when no partition was added yet, so it "succeeds": a caller that
 * only replaces a producer it could not abort from would keep a fenced one for good.
 */
const FATAL_TO_PRODUCER = new Set([
  'INVALID_PRODUCER_EPOCH',
  'PRODUCER_FENCED',
  'INVALID_PRODUCER_ID_MAPPING',
  'UNKNOWN_PRODUCER_ID',
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'INVALID_TXN_STATE',
]);

/** True when `error`, or an error it was caused by (kafkajs wraps retried ones), is one of those. */
export function isFatalToProducer(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let current = error; typeof current === 'object' && current !== null;) {
    if (seen.has(current)) return false;
    seen.add(current);
    const { type, cause, errors } = current as {
      type?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof type === 'string' && FATAL_TO_PRODUCER.has(type)) return true;
    if (Array.isArray(errors) && errors.some((inner) => isFatalToProducer(inner))) return true;
    current = cause;
  }
  return false;
}
