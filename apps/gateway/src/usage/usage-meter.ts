import type { UsageEventData } from '@event-hub/contracts';

/**
 * Meters consumption: resolves once the usage event is acknowledged by Kafka, so a consume
 * request is answered only when its usage is recorded. (Produce is metered inside the produce
 * transaction itself.)
 */
export abstract class UsageMeter {
  abstract meterConsumption(usage: Omit<UsageEventData, 'action'>): Promise<void>;
}
