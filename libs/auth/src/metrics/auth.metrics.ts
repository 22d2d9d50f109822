import { Counter } from 'prom-client';
import type { MetricsRegistry } from '@event-hub/observability';

/** Authentication series on the service's registry (behind /metrics). */
export class AuthMetrics {
  readonly tokensIssued: Counter<'auth_method'>;
  /** `stage` is `token` (the token endpoint refused) or `request` (a protected route refused). */
  readonly failures: Counter<'stage' | 'reason'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.tokensIssued = new Counter({
      name: 'auth_tokens_issued_total',
      help: 'Access tokens issued by POST /oauth/token, by client authentication method',
      labelNames: ['auth_method'],
      registers,
    });
    this.failures = new Counter({
      name: 'auth_failures_total',
      help: 'Refused token requests (stage="token") and refused requests to protected routes (stage="request"), by reason',
      labelNames: ['stage', 'reason'],
      registers,
    });
  }
}
