import { Logger } from '@nestjs/common';
import type { ProducerReplacement } from './transactional-producer';

/**
 * An `onProducerReplaced` hook that logs each replacement as a warning: a gateway refusing
 * commands after a broker outage then shows which slot gave up on its producer, and why.
 */
export function logProducerReplacements(
  context: string,
): (replacement: ProducerReplacement) => void {
  const logger = new Logger(context);
  return ({ slot, reason }) =>
    logger.warn({ slot, reason }, 'replacing the Kafka producer of a transactional slot');
}
