import type { ConfigService } from '@nestjs/config';
import type { KafkaBatchServer, KafkaBatchSubscription } from '@event-hub/kafka';
import type { CommandStore } from '../../command-acceptance/command-store';
import type { GatewayEnvironment } from '../../config/gateway.environment';
import type { GatewayMetrics } from '../../metrics/gateway.metrics';
import { CommandRepliesConsumer, REPLY_PARTITIONS_AT_ONCE } from './command-replies.consumer';

describe('the reply group subscription', () => {
  it('handles all 6 partitions of a fetch at once and commits them in one request', () => {
    const subscriptions: KafkaBatchSubscription[] = [];
    const server = { subscribe: (s: KafkaBatchSubscription) => subscriptions.push(s) };
    const config = { get: (key: string) => (key === 'GATEWAY_REPLY_TOPIC' ? 'replies' : 10000) };
    new CommandRepliesConsumer(
      server as unknown as KafkaBatchServer,
      config as unknown as ConfigService<GatewayEnvironment, true>,
      {} as CommandStore,
      {} as GatewayMetrics,
    ).onModuleInit();

    // With 3, a fetch of 6 partitions ended in two statements and two OffsetCommits.
    expect(REPLY_PARTITIONS_AT_ONCE).toBe(6);
    expect(subscriptions[0]).toMatchObject({
      topics: ['replies'],
      partitionsConsumedConcurrently: REPLY_PARTITIONS_AT_ONCE,
      commitPerFetch: true,
    });
  });
});
