import { ApiClientEntity } from './clients/api-client.entity';
import { CreateAuthTables1764100000000 } from './migrations/1764100000000-create-auth-tables';
import { TenantEntity } from './tenants/tenant.entity';

export { CreateAuthTables1764100000000 };

/** Append to the owning service's TypeORM entities. */
export const AUTH_ENTITIES = [TenantEntity, ApiClientEntity];

/** Append to the owning service's migrations (they run in its migrations table). */
export const AUTH_MIGRATIONS = [CreateAuthTables1764100000000];
