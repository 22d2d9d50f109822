import {
  USAGE_EVENT_TYPE,
  createEnvelope,
  type EventEnvelope,
  type UsageEventData,
} from '@event-hub/contracts';

/** A usage event as the gateway meters a request of `tenant`: one 100-byte record produced. */
export function usageEvent(
  tenant: string,
  overrides: Partial<UsageEventData> = {},
): EventEnvelope<UsageEventData> {
  return createEnvelope({
    eventType: USAGE_EVENT_TYPE,
    source: 'gateway',
    tenantId: tenant,
    data: {
      tenant,
      topic: 'orders',
      clientId: 'ehc_it',
      action: 'produce',
      messages: 1,
      bytes: 100,
      eventTime: new Date().toISOString(),
      ...overrides,
    },
  });
}
