import { BILLING_DATA_ENTITIES } from '@event-hub/billing-data';

/**
 * The billing feature's tables, registered in the gateway's data source. The processor owns and
 * migrates `billing` (it is the only writer), so the gateway registers the entity without its
 * migration.
 */
export const BILLING_ENTITIES: (new () => object)[] = [...BILLING_DATA_ENTITIES];
export const BILLING_MIGRATIONS: (new () => object)[] = [];
