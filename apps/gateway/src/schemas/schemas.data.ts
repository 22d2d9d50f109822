import { CreateSchemaRegistry1764300000000 } from './migrations/1764300000000-create-schema-registry';
import { SchemaSubjectEntity } from './registry/schema-subject.entity';
import { SchemaVersionEntity } from './registry/schema-version.entity';

/** The schemas feature's tables, registered in the gateway's data source and migrations history. */
export const SCHEMAS_ENTITIES: (new () => object)[] = [SchemaSubjectEntity, SchemaVersionEntity];
export const SCHEMAS_MIGRATIONS: (new () => object)[] = [CreateSchemaRegistry1764300000000];
