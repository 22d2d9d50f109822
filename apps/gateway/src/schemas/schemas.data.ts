/** The schemas feature's tables, registered in the gateway's data source and migrations history. */
export const SCHEMAS_ENTITIES: (new () => object)[] = [];
export const SCHEMAS_MIGRATIONS: (new () => object)[] = [];
