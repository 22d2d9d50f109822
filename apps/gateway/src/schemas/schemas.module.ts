import { Module } from '@nestjs/common';
import { RegisterSchemaController } from './commands/register-schema/register-schema.controller';
import { RegisterSchemaHandler } from './commands/register-schema/register-schema.handler';
import { SetCompatibilityController } from './commands/set-compatibility/set-compatibility.controller';
import { SetCompatibilityHandler } from './commands/set-compatibility/set-compatibility.handler';
import { GetSchemaVersionController } from './queries/get-schema-version/get-schema-version.controller';
import { GetSchemaVersionHandler } from './queries/get-schema-version/get-schema-version.handler';
import { ListSubjectsController } from './queries/list-subjects/list-subjects.controller';
import { ListSubjectsHandler } from './queries/list-subjects/list-subjects.handler';
import { ListVersionsController } from './queries/list-versions/list-versions.controller';
import { ListVersionsHandler } from './queries/list-versions/list-versions.handler';
import { RecordValueValidator } from './record-value-validator';
import { PlatformSchemasRegistrar } from './registry/platform-schemas.registrar';
import { SchemaRegistry } from './registry/schema-registry';
import { SCHEMA_METRICS } from './shared/schema.metrics';
import { RegisteredValueValidator } from './validation/registered-value-validator';

/**
 * The per-tenant schema registry (`/schemas`), the platform's schemas registered at start, and the
 * {@link RecordValueValidator} the produce path checks bound topics' values with.
 */
@Module({
  controllers: [
    RegisterSchemaController,
    SetCompatibilityController,
    ListSubjectsController,
    ListVersionsController,
    GetSchemaVersionController,
  ],
  providers: [
    ...SCHEMA_METRICS,
    SchemaRegistry,
    PlatformSchemasRegistrar,
    RegisteredValueValidator,
    { provide: RecordValueValidator, useExisting: RegisteredValueValidator },
    RegisterSchemaHandler,
    SetCompatibilityHandler,
    ListSubjectsHandler,
    ListVersionsHandler,
    GetSchemaVersionHandler,
  ],
  exports: [RecordValueValidator],
})
export class SchemasModule {}
