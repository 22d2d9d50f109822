import { Logger } from '@nestjs/common';
import { logLevel, type LogEntry, type logCreator } from 'kafkajs';

/**
 * kafkajs's text for CONCURRENT_TRANSACTIONS (its protocol/error.js): a transaction begun while
 * the coordinator still writes the previous commit's markers. Under load that is routine, and
 * answered by sending the request again 20 ms later (patches/kafkajs, eosManager).
 */
export const CONCURRENT_TRANSACTIONS_ERROR =
  'The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing';

/**
 * Routes kafkajs's own logs into the service logger so they come out as structured JSON too.
 * kafkajs logs every error answer of the broker at ERROR, also the ones retried as a matter of
 * course: CONCURRENT_TRANSACTIONS goes to debug, so an error in the log (and in a Kibana search
 * for errors) is one worth reading. A transaction that still fails is reported by its caller.
 */
export const kafkaLogCreator: logCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ level, log }: LogEntry) => {
    const { message, ...extra } = log;
    const line = `${message} ${JSON.stringify(extra)}`;
    if (level === logLevel.ERROR && extra['error'] !== CONCURRENT_TRANSACTIONS_ERROR) {
      logger.error(line);
    } else if (level === logLevel.WARN) logger.warn(line);
    // kafkajs INFO is per-connection chatter; keep it out of the service's info stream.
    else logger.debug(line);
  };
};
