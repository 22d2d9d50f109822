import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnvironment } from '../../../config/gateway.environment';

/** Steps of a produce request with an Idempotency-Key where a crash test may kill the gateway. */
export type ProduceCrashPoint = 'claimed' | 'sent' | 'committed' | 'stored';

/**
 * For crash tests only: `GATEWAY_TEST_CRASH_AT=<point>:<n>` kills this process with SIGKILL the
 * n-th time a produce request with an Idempotency-Key reaches `<point>`, so a test can crash the
 * real gateway exactly between two steps (records sent but not committed, committed but the
 * answer not stored, ...), which timing a kill from outside cannot hit reliably. Refused at start
 * under NODE_ENV=production, so it can never be turned on in a deployment.
 */
@Injectable()
export class ProduceCrashPoints {
  private readonly point: ProduceCrashPoint | undefined;
  private remaining = 0;

  constructor(config: ConfigService<GatewayEnvironment, true>) {
    const spec = config.get('GATEWAY_TEST_CRASH_AT');
    if (!spec) return;
    if (config.get('NODE_ENV') === 'production') {
      throw new Error('GATEWAY_TEST_CRASH_AT is for crash tests and cannot be set in production');
    }
    const [point, count] = spec.split(':');
    this.point = point as ProduceCrashPoint;
    this.remaining = Number(count);
  }

  reached(point: ProduceCrashPoint): void {
    if (point !== this.point || this.remaining <= 0) return;
    this.remaining -= 1;
    if (this.remaining === 0) process.kill(process.pid, 'SIGKILL');
  }
}
