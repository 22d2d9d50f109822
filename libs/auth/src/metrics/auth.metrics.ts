import { Injectable, type Provider } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

const TOKENS_ISSUED = 'auth_tokens_issued_total';
const FAILURES = 'auth_failures_total';

/** Authentication series (behind /metrics). */
@Injectable()
export class AuthMetrics {
  constructor(
    @InjectMetric(TOKENS_ISSUED) readonly tokensIssued: Counter<'auth_method'>,
    /** `stage` is `token` (the token endpoint refused) or `request` (a protected route refused). */
    @InjectMetric(FAILURES) readonly failures: Counter<'stage' | 'reason'>,
  ) {}
}

/**
 * The series on the default registry behind /metrics, and {@link AuthMetrics} over them. Object
 * providers only: the auth modules export every token they provide.
 */
export const AUTH_METRICS: Provider[] = [
  makeCounterProvider({
    name: TOKENS_ISSUED,
    help: 'Access tokens issued by POST /oauth/token, by client authentication method',
    labelNames: ['auth_method'],
  }),
  makeCounterProvider({
    name: FAILURES,
    help: 'Refused token requests (stage="token") and refused requests to protected routes (stage="request"), by reason',
    labelNames: ['stage', 'reason'],
  }),
  { provide: AuthMetrics, useClass: AuthMetrics },
];
