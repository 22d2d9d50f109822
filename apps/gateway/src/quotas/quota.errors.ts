import { GatewayError } from '../shared/http-errors';
import type { QuotaDirection, QuotaUnit } from './rate-quotas';

/** 429 naming the quota (direction and unit) that the request does not fit, with `Retry-After`. */
export class QuotaExceededError extends GatewayError {
  readonly code = 'QUOTA.EXCEEDED';
  readonly status = 429;
  readonly title = 'Rate quota exceeded';
  override readonly retryAfterSeconds: number;

  constructor(direction: QuotaDirection, unit: QuotaUnit, perSecond: number, seconds: number) {
    super(
      `The tenant's ${direction} quota of ${perSecond} ${unit}/s is used up; retry after ` +
        `${Math.max(1, Math.ceil(seconds))} s`,
    );
    this.retryAfterSeconds = Math.max(1, Math.ceil(seconds));
    this.extensions['quota'] = { direction, unit, perSecond };
  }
}
