import { createRequire } from 'node:module';

/**
 * kafkajs's per-connection request queue, as patched by patches/kafkajs+2.2.4.patch. Unpatched,
 * every check of the pending requests scheduled the next one, with a negative delay when nothing
 * was throttled (Node runs it after 1 ms and, since Node 24, warns `TimeoutNegativeWarning`): each
 * connection woke up every millisecond for its whole life, about 25 CPU ms per second of an idle
 * monitor. And the requests in flight were checked for their timeout every 100 ms, in flight or
 * not: ten wake-ups a second per connection (about 50 a second in an idle monitor); now one timer
 * waits for the earliest deadline of what is in flight.
 */
interface RequestEntry {
  correlationId: number;
  apiKey: number;
  apiName: string;
  apiVersion: number;
  resolve(response: unknown): void;
  reject(error: Error): void;
}
interface RequestQueueLike {
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  requestTimeoutTimerId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleRequestTimeoutCheck(): void;
  push(request: {
    entry: RequestEntry;
    expectResponse: boolean;
    sendRequest(): void;
    requestTimeout?: number;
  }): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
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

  describe('request timeouts', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    function request(correlationId: number) {
      const outcome: { response?: unknown; error?: Error } = {};
      const entry: RequestEntry = {
        correlationId,
        apiKey: 1,
        apiName: 'Fetch',
        apiVersion: 11,
        resolve: (response) => (outcome.response = response),
        reject: (error) => (outcome.error = error),
      };
      return {
        entry,
        outcome,
        sent: { entry, expectResponse: true, sendRequest: () => undefined },
      };
    }

    it('keeps no timer while nothing is in flight', () => {
      const connected = queue();
      try {
        connected.scheduleRequestTimeoutCheck();
        expect(connected.requestTimeoutTimerId).toBeNull();
        jest.advanceTimersByTime(60000);
        expect(jest.getTimerCount()).toBe(0);
      } finally {
        connected.destroy();
      }
    });

    it('times a request out once more than its timeout passed since it was sent', () => {
      const connected = queue();
      try {
        connected.scheduleRequestTimeoutCheck();
        const fetch = request(1);
        connected.push(fetch.sent);
        jest.advanceTimersByTime(30000);
        expect(fetch.outcome.error).toBeUndefined();
        jest.advanceTimersByTime(1);
        expect(fetch.outcome.error?.name).toBe('KafkaJSRequestTimeoutError');
        expect(connected.requestTimeoutTimerId).toBeNull();
      } finally {
        connected.destroy();
      }
    });

    it('times out each request at its own deadline, the earliest first', () => {
      const connected = queue();
      try {
        connected.scheduleRequestTimeoutCheck();
        const long = request(1);
        connected.push({ ...long.sent, requestTimeout: 45000 });
        jest.advanceTimersByTime(1000);
        const short = request(2);
        connected.push(short.sent);
        jest.advanceTimersByTime(30001);
        expect(short.outcome.error).toBeDefined();
        expect(long.outcome.error).toBeUndefined();
        jest.advanceTimersByTime(14000);
        expect(long.outcome.error).toBeDefined();
      } finally {
        connected.destroy();
      }
    });

    it('leaves no check behind once the answered requests are past their deadline', () => {
      const connected = queue();
      try {
        connected.scheduleRequestTimeoutCheck();
        const fetch = request(1);
        connected.push(fetch.sent);
        connected.fulfillRequest({ correlationId: 1, payload: Buffer.alloc(0), size: 0 });
        expect(fetch.outcome.response).toBeDefined();
        jest.advanceTimersByTime(30001);
        expect(fetch.outcome.error).toBeUndefined();
        expect(jest.getTimerCount()).toBe(0);
      } finally {
        connected.destroy();
      }
    });

    it('times out at once a request whose sending threw, as the former periodic check did', () => {
      const connected = queue();
      try {
        connected.scheduleRequestTimeoutCheck();
        const broken = request(1);
        expect(() =>
          connected.push({
            ...broken.sent,
            sendRequest: () => {
              throw new Error('socket closed');
            },
          }),
        ).toThrow('socket closed');
        jest.advanceTimersByTime(1);
        expect(broken.outcome.error?.name).toBe('KafkaJSRequestTimeoutError');
      } finally {
        connected.destroy();
      }
    });

    it('checks nothing after the connection is gone', () => {
      const connected = queue();
      connected.scheduleRequestTimeoutCheck();
      const fetch = request(1);
      connected.push(fetch.sent);
      connected.destroy();
      jest.advanceTimersByTime(60000);
      expect(fetch.outcome.error).toBeUndefined();
      expect(jest.getTimerCount()).toBe(0);
    });
  });
});
