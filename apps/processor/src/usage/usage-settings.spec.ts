import { ConfigService } from '@nestjs/config';
import { validateEnvironment } from '@event-hub/service-runtime';
import { ProcessorEnvironment } from '../config/processor.environment';
import { usageSettings } from './usage-settings';

const load = validateEnvironment(ProcessorEnvironment);
const base = { DATABASE_URL: 'postgres://localhost/eventhub', KAFKA_BROKERS: '127.0.0.1:9092' };
const settingsOf = (env: Record<string, string>) =>
  usageSettings(new ConfigService<ProcessorEnvironment, true>({ ...load({ ...base, ...env }) }));

describe('usage aggregator settings', () => {
  it('reads usage_events into billing as processor-usage by default', () => {
    expect(settingsOf({})).toMatchObject({
      topic: 'usage_events',
      dlqTopic: 'usage_events.dlq',
      groupId: 'processor-usage',
    });
  });

  it('follows a processor started with its own group, so it never takes the real offsets', () => {
    expect(settingsOf({ PROCESSOR_GROUP_ID: 'it.processor.x1' }).groupId).toBe(
      'it.processor.x1-usage',
    );
    expect(settingsOf({ PROCESSOR_USAGE_GROUP_ID: '' }).groupId).toBe('processor-usage');
    expect(settingsOf({ PROCESSOR_USAGE_GROUP_ID: 'billing-agg' }).groupId).toBe('billing-agg');
  });

  it('refuses a topic or group that Kafka would not accept, naming the variable', () => {
    expect(() => load({ ...base, PROCESSOR_USAGE_TOPIC: 'usage events' })).toThrow(
      /PROCESSOR_USAGE_TOPIC \(/,
    );
    expect(() => load({ ...base, PROCESSOR_USAGE_GROUP_ID: 'a/b' })).toThrow(
      /PROCESSOR_USAGE_GROUP_ID \(/,
    );
  });
});
