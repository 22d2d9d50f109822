import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SchemaRegistry, type Registration } from '../../registry/schema-registry';
import { RegisterSchemaCommand } from './register-schema.command';

@CommandHandler(RegisterSchemaCommand)
export class RegisterSchemaHandler implements ICommandHandler<RegisterSchemaCommand, Registration> {
  constructor(private readonly registry: SchemaRegistry) {}

  execute({ tenantId, subject, schema }: RegisterSchemaCommand): Promise<Registration> {
    return this.registry.register(tenantId, subject, schema);
  }
}
