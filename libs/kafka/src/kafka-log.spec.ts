import { Logger } from '@nestjs/common';
import { logLevel, type LogEntry } from 'kafkajs';
import { CONCURRENT_TRANSACTIONS_ERROR, kafkaLogCreator } from './kafka-log';

/** kafkajs's table of protocol errors, as its broker answers are turned into errors. */
const { errorCodes } = require('kafkajs/src/protocol/error') as {
  errorCodes: { type: string; message: string }[];
};

function responseError(error: string): LogEntry {
  return {
    namespace: 'Connection',
    level: logLevel.ERROR,
    label: 'ERROR',
    log: {
      timestamp: '2026-12-07T06:46:42.243Z',
      logger: 'kafkajs',
      message: 'Response AddPartitionsToTxn(key: 24, version: 1)',
      broker: '127.0.0.1:9092',
      error,
    },
  };
}

describe('kafkajs logs in the service log', () => {
  let spies: Record<'error' | 'warn' | 'debug', jest.SpyInstance>;
  const log = kafkaLogCreator(logLevel.INFO);

  beforeEach(() => {
    spies = {
      error: jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined),
      warn: jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined),
      debug: jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined),
    };
  });
  afterEach(() => jest.restoreAllMocks());

  it('names the text kafkajs gives CONCURRENT_TRANSACTIONS', () => {
    const concurrent = errorCodes.find(({ type }) => type === 'CONCURRENT_TRANSACTIONS');
    expect(concurrent?.message).toBe(CONCURRENT_TRANSACTIONS_ERROR);
  });

  it('logs a CONCURRENT_TRANSACTIONS answer, retried as a matter of course, at debug', () => {
    log(responseError(CONCURRENT_TRANSACTIONS_ERROR));
    expect(spies.error).not.toHaveBeenCalled();
    expect(spies.debug).toHaveBeenCalledWith(
      expect.stringContaining('Response AddPartitionsToTxn(key: 24, version: 1)'),
    );
  });

  it('logs any other error answer at error, with its details', () => {
    log(responseError('This server is not the leader for that topic-partition'));
    expect(spies.error).toHaveBeenCalledWith(
      expect.stringContaining('"error":"This server is not the leader for that topic-partition"'),
    );
  });

  it('keeps warnings as warnings and info chatter out of the info stream', () => {
    log({ ...responseError('x'), level: logLevel.WARN, label: 'WARN' });
    log({ ...responseError('y'), level: logLevel.INFO, label: 'INFO' });
    expect(spies.warn).toHaveBeenCalledTimes(1);
    expect(spies.debug).toHaveBeenCalledTimes(1);
    expect(spies.error).not.toHaveBeenCalled();
  });
});
