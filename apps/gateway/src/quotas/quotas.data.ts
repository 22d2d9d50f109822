import { CreateQuotaWindows1764420000000 } from './migrations/1764420000000-create-quota-windows';

/** The quotas feature's table (raw SQL through rate-limiter-flexible, no entity). */
export const QUOTAS_MIGRATIONS: (new () => object)[] = [CreateQuotaWindows1764420000000];
