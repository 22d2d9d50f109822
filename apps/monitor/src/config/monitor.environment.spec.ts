import { InvalidEnvironmentError, validateEnvironment } from '@event-hub/service-runtime';
import { MonitorEnvironment } from './monitor.environment';

describe('monitor environment', () => {
  const validate = validateEnvironment(MonitorEnvironment);
  const required = {
    KAFKA_BROKERS: '127.0.0.1:9092',
    ELASTICSEARCH_URL: 'http://127.0.0.1:9200',
    MONITOR_PII_HMAC_KEY: 'k'.repeat(32),
  };

  it('has defaults for every tuning variable', () => {
    expect(validate(required)).toMatchObject({
      MONITOR_GROUP_ID: 'monitor',
      MONITOR_TOPIC_PATTERN: '',
      MONITOR_TOPIC_DISCOVERY_INTERVAL_MS: 10000,
      MONITOR_FETCH_MAX_WAIT_MS: 500,
      MONITOR_FETCH_MIN_BYTES: 1024 * 1024,
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
        MONITOR_FETCH_MAX_WAIT_MS: '6000',
        MONITOR_FETCH_MIN_BYTES: '0',
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
      'MONITOR_FETCH_MAX_WAIT_MS',
      'MONITOR_FETCH_MIN_BYTES',
    ]) {
      expect(message).toContain(name);
    }
  });

  it('refuses to start without a strong personal-data key, or with half the cluster credentials', () => {
    const problems = (env: Record<string, string>): string => {
      try {
        validate(env);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    expect(problems({ ...required, MONITOR_PII_HMAC_KEY: '' })).toContain('MONITOR_PII_HMAC_KEY');
    expect(problems({ ...required, MONITOR_PII_HMAC_KEY: 'short' })).toContain(
      'MONITOR_PII_HMAC_KEY',
    );
    const { MONITOR_PII_HMAC_KEY: _, ...withoutKey } = required;
    expect(problems(withoutKey)).toContain('MONITOR_PII_HMAC_KEY (missing)');
    expect(problems({ ...required, MONITOR_PII_HMAC_PREVIOUS_KEYS: 'short,x' })).toContain(
      'MONITOR_PII_HMAC_PREVIOUS_KEYS',
    );
    expect(problems({ ...required, ELASTICSEARCH_USERNAME: 'monitor' })).toContain(
      'ELASTICSEARCH_PASSWORD',
    );
    expect(
      problems({ ...required, ELASTICSEARCH_USERNAME: 'monitor', ELASTICSEARCH_PASSWORD: 'pw' }),
    ).toBe('');
    expect(
      problems({
        ...required,
        ELASTICSEARCH_USERNAME: 'monitor',
        ELASTICSEARCH_PASSWORD_FILE: '/nonexistent/password',
      }),
    ).toContain('ELASTICSEARCH_PASSWORD_FILE');
    expect(
      problems({
        ...required,
        ELASTICSEARCH_USERNAME: 'monitor',
        ELASTICSEARCH_PASSWORD_FILE: __filename,
      }),
    ).toBe('');
    expect(problems({ ...required, ELASTICSEARCH_PASSWORD_FILE: __filename })).toContain(
      'ELASTICSEARCH_USERNAME',
    );
  });
});
