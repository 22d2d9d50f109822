import { InvalidEnvironmentError, validateEnvironment } from '@event-hub/service-runtime';
import { MonitorEnvironment } from './monitor.environment';

describe('monitor environment', () => {
  const validate = validateEnvironment(MonitorEnvironment);
  const required = { KAFKA_BROKERS: '127.0.0.1:9092', ELASTICSEARCH_URL: 'http://127.0.0.1:9200' };

  it('has defaults for every tuning variable', () => {
    expect(validate(required)).toMatchObject({
      MONITOR_GROUP_ID: 'monitor',
      MONITOR_TOPIC_PATTERN: '',
      MONITOR_TOPIC_DISCOVERY_INTERVAL_MS: 10000,
      MONITOR_INDEX_PREFIX: 'event-hub-logs',
      MONITOR_BULK_MAX_DOCS: 1000,
      MONITOR_BULK_MAX_BYTES: 5 * 1024 * 1024,
      MONITOR_BULK_CONCURRENCY: 2,
      MONITOR_FALLBACK_FILE_BYTES: 64 * 1024 * 1024,
      MONITOR_FALLBACK_MAX_BYTES: 1024 * 1024 * 1024,
    });
  });

  it('names each bad variable', () => {
    let error: unknown;
    try {
      validate({
        ...required,
        MONITOR_TOPIC_PATTERN: '([unclosed',
        MONITOR_INDEX_PREFIX: 'Upper',
        MONITOR_BULK_CONCURRENCY: '0',
        MONITOR_SESSION_TIMEOUT_MS: '1000',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    const message = (error as Error).message;
    for (const name of [
      'MONITOR_TOPIC_PATTERN',
      'MONITOR_INDEX_PREFIX',
      'MONITOR_BULK_CONCURRENCY',
      'MONITOR_SESSION_TIMEOUT_MS',
    ]) {
      expect(message).toContain(name);
    }
  });
});
