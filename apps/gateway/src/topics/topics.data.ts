import { CreateTenantTopics1764200000000 } from './migrations/1764200000000-create-tenant-topics';
import { TenantTopicEntity } from './shared/tenant-topic.entity';

/** The topics feature's table, registered in the gateway's data source and migrations history. */
export const TOPICS_ENTITIES: (new () => object)[] = [TenantTopicEntity];
export const TOPICS_MIGRATIONS: (new () => object)[] = [CreateTenantTopics1764200000000];
