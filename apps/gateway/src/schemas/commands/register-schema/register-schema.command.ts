import { Command } from '@nestjs/cqrs';
import type { Registration } from '../../registry/schema-registry';
import type { JsonSchemaObject } from '../../shared/json-schema';

export class RegisterSchemaCommand extends Command<Registration> {
  constructor(
    readonly tenantId: string,
    readonly subject: string,
    readonly schema: JsonSchemaObject,
  ) {
    super();
  }
}
