import { Module } from '@nestjs/common';
import { CreateTopicController } from './commands/create-topic/create-topic.controller';
import { CreateTopicHandler } from './commands/create-topic/create-topic.handler';
import { DeleteTopicController } from './commands/delete-topic/delete-topic.controller';
import { DeleteTopicHandler } from './commands/delete-topic/delete-topic.handler';
import { UpdateTopicController } from './commands/update-topic/update-topic.controller';
import { UpdateTopicHandler } from './commands/update-topic/update-topic.handler';
import { GetTopicController } from './queries/get-topic/get-topic.controller';
import { GetTopicHandler } from './queries/get-topic/get-topic.handler';
import { ListTopicsController } from './queries/list-topics/list-topics.controller';
import { ListTopicsHandler } from './queries/list-topics/list-topics.handler';
import { CachedTenantTopicDirectory } from './shared/cached-tenant-topic-directory';
import { TenantKafkaTopics } from './shared/tenant-kafka-topics';
import { TenantLimitsLookup } from './shared/tenant-limits.lookup';
import { TenantTopicStore } from './shared/tenant-topic-store';
import { TenantTopicDirectory } from './tenant-topic-directory';

/** Tenant topics (`/topics`, topics:admin) and the directory produce and consume look topics up in. */
@Module({
  controllers: [
    CreateTopicController,
    ListTopicsController,
    GetTopicController,
    UpdateTopicController,
    DeleteTopicController,
  ],
  providers: [
    TenantTopicStore,
    TenantKafkaTopics,
    TenantLimitsLookup,
    CachedTenantTopicDirectory,
    { provide: TenantTopicDirectory, useExisting: CachedTenantTopicDirectory },
    CreateTopicHandler,
    DeleteTopicHandler,
    UpdateTopicHandler,
    ListTopicsHandler,
    GetTopicHandler,
  ],
  exports: [TenantTopicDirectory, TenantLimitsLookup],
})
export class TopicsModule {}
