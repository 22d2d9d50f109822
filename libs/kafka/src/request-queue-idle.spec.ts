import { createRequire } from 'node:module';

/**
 * kafkajs's per-connection request queue, as patched by patches/kafkajs+2.2.4.patch (applied by the
 * postinstall script). Unpatched, a queue with nothing pending and no throttle scheduled its next
 * check at a negative delay (run after 1 ms), forever: every connection of every app woke its
 * event loop a thousand times a second while idle (kafkajs issues #1556, #1704, #1751).
 */
interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}
type RequestQueueClass = new (options: {
  maxInFlightRequests: number | null;
  requestTimeout: number;
  enforceRequestTimeout: boolean;
  clientId: string;
  broker: string;
  logger: { debug: () => void; warn: () => void; error: () => void; info: () => void };
}) => RequestQueue;

const RequestQueue = createRequire(__filename)(
  'kafkajs/src/network/requestQueue',
) as RequestQueueClass;

const ignore = (): undefined => undefined;
const quiet = { debug: ignore, warn: ignore, error: ignore, info: ignore };

function queue(): RequestQueue {
  return new RequestQueue({
    maxInFlightRequests: null,
    requestTimeout: 30000,
    enforceRequestTimeout: true,
    clientId: 'spec',
    broker: '127.0.0.1:9092',
    logger: quiet,
  });
}

describe('kafkajs request queue (patched)', () => {
  it('schedules no check when nothing is pending', () => {
    const idle = queue();
    idle.checkPendingRequests();
    try {
      expect(idle.throttleCheckTimeoutId).toBeNull();
    } finally {
      // Unpatched, the loop would keep re-arming and keep jest from exiting.
      clearTimeout(idle.throttleCheckTimeoutId ?? undefined);
    }
  });

  it('still schedules one when a request waits for the throttle to end', () => {
    const throttled = queue();
    throttled.throttledUntil = Date.now() + 60000;
    throttled.pending.push({});
    throttled.scheduleCheckPendingRequests();
    try {
      expect(throttled.throttleCheckTimeoutId).not.toBeNull();
    } finally {
      clearTimeout(throttled.throttleCheckTimeoutId ?? undefined);
    }
  });
});
