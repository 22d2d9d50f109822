export type QuotaDirection = 'produce' | 'consume';

/**
 * A tenant's produce and consume rate quotas (records/s and bytes/s, from its limits). `take`
 * throws the HTTP 429 problem (with `Retry-After`) when the request does not fit.
 */
export abstract class RateQuotas {
  abstract take(tenantId: string, direction: QuotaDirection, records: number, bytes: number): void;
}
