/** The billing feature's tables, registered in the gateway's data source and migrations history. */
export const BILLING_ENTITIES: (new () => object)[] = [];
export const BILLING_MIGRATIONS: (new () => object)[] = [];
