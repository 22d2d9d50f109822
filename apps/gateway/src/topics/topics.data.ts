/** The topics feature's tables, registered in the gateway's data source and migrations history. */
export const TOPICS_ENTITIES: (new () => object)[] = [];
export const TOPICS_MIGRATIONS: (new () => object)[] = [];
