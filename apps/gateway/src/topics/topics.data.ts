import { CreateProduceIdempotency1764200000001 } from '../records/produce/migrations/1764200000001-create-produce-idempotency';
import { ProduceIdempotencyClaims1764200000002 } from '../records/produce/migrations/1764200000002-produce-idempotency-claims';
import { ProduceIdempotencyEntity } from '../records/produce/idempotency/produce-idempotency.entity';
import { CreateTenantTopics1764200000000 } from './migrations/1764200000000-create-tenant-topics';
import { TenantTopicEntity } from './shared/tenant-topic.entity';

/** The topics and produce features' tables, registered in the gateway's data source and migrations history. */
export const TOPICS_ENTITIES: (new () => object)[] = [TenantTopicEntity, ProduceIdempotencyEntity];
export const TOPICS_MIGRATIONS: (new () => object)[] = [
  CreateTenantTopics1764200000000,
  CreateProduceIdempotency1764200000001,
  ProduceIdempotencyClaims1764200000002,
];
