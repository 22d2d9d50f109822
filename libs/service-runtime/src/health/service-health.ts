import type { HealthIndicatorFunction } from '@nestjs/terminus';

/**
 * What one service checks for its health routes (see {@link HealthController}). A service
 * provides its own subclass under this token, injecting its indicators.
 */
export abstract class ServiceHealth {
  /**
   * What the service needs to do its job now: `/health/ready` answers 200 only when each is up.
   * Leave out what the service copes without by design (the monitor spilling to its fallback
   * directory while Elasticsearch is down is doing its job).
   */
  abstract readiness(): HealthIndicatorFunction[];

  /** The detailed report of `/health`: the readiness checks unless a service reports more. */
  report(): HealthIndicatorFunction[] {
    return this.readiness();
  }
}
