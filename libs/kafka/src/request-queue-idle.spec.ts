import { createRequire } from 'node:module';

/**
 * kafkajs's per-connection request queue, as patched by patches/kafkajs+2.2.4.patch. Unpatched,
 * every check of the pending requests scheduled the next one, with a negative delay when nothing
 * was throttled (Node runs it after 1 ms and, since Node 24, warns `TimeoutNegativeWarning`): each
 * connection woke up every millisecond for its whole life, about 25 CPU ms per second of an idle
 * monitor.
 */
interface RequestQueueLike {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  destroy(): void;
}
type RequestQueueClass = new (options: Record<string, unknown>) => RequestQueueLike;

const RequestQueue = createRequire(__filename)(
  'kafkajs/src/network/requestQueue',
) as RequestQueueClass;

function queue(): RequestQueueLike {
  const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };
  return new RequestQueue({
    instrumentationEmitter: { emit: () => undefined },
    maxInFlightRequests: null,
    requestTimeout: 30000,
    enforceRequestTimeout: true,
    clientId: 'spec',
    broker: '127.0.0.1:9092',
    logger,
    isConnected: () => true,
  });
}

describe('kafkajs request queue (patched)', () => {
  it('schedules no check while nothing is pending and nothing is throttled', () => {
    const idle = queue();
    try {
      idle.checkPendingRequests();
      expect(idle.throttleCheckTimeoutId).toBeNull();
    } finally {
      idle.destroy();
    }
  });

  it('still checks again when a throttle ends', () => {
    const throttled = queue();
    try {
      throttled.throttledUntil = Date.now() + 60000;
      throttled.checkPendingRequests();
      expect(throttled.throttleCheckTimeoutId).not.toBeNull();
    } finally {
      throttled.destroy();
    }
  });
});
