import { BillingEntity } from './entities/billing.entity';
import { CreateBilling1764400000000 } from './migrations/1764400000000-create-billing';

/** The billing table's entity, for the processor (writer) and the gateway (reports). */
export const BILLING_DATA_ENTITIES = [BillingEntity];

/** Only the processor, which owns the table, runs these; the gateway registers the entity alone. */
export const BILLING_DATA_MIGRATIONS = [CreateBilling1764400000000];
