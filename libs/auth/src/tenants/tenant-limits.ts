/** Per-tenant bounds, enforced by the tenant topic, produce and consume features. */
export interface TenantLimits {
  maxTopics: number;
  maxPartitionsPerTopic: number;
  maxRetentionMs: number;
  produceRecordsPerSecond: number;
  produceBytesPerSecond: number;
  consumeRecordsPerSecond: number;
  consumeBytesPerSecond: number;
}

export const DEFAULT_TENANT_LIMITS: Readonly<TenantLimits> = {
  maxTopics: 20,
  maxPartitionsPerTopic: 12,
  maxRetentionMs: 7 * 24 * 3600 * 1000,
  produceRecordsPerSecond: 5000,
  produceBytesPerSecond: 5 * 1024 * 1024,
  consumeRecordsPerSecond: 10000,
  consumeBytesPerSecond: 10 * 1024 * 1024,
};

export const TENANT_LIMIT_NAMES = Object.keys(DEFAULT_TENANT_LIMITS) as (keyof TenantLimits)[];

/** The defaults overridden by whatever the operator set (unknown keys are dropped). */
export function withDefaultLimits(limits: Partial<TenantLimits> | undefined): TenantLimits {
  const merged: TenantLimits = { ...DEFAULT_TENANT_LIMITS };
  for (const name of TENANT_LIMIT_NAMES) {
    const value = limits?.[name];
    if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) merged[name] = value;
  }
  return merged;
}
