import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SchemaRegistry } from '../../registry/schema-registry';
import type { CompatibilityView } from '../../shared/schema.views';
import { SetCompatibilityCommand } from './set-compatibility.command';

@CommandHandler(SetCompatibilityCommand)
export class SetCompatibilityHandler implements ICommandHandler<
  SetCompatibilityCommand,
  CompatibilityView
> {
  constructor(private readonly registry: SchemaRegistry) {}

  async execute({
    tenantId,
    subject,
    compatibility,
  }: SetCompatibilityCommand): Promise<CompatibilityView> {
    await this.registry.setCompatibility(tenantId, subject, compatibility);
    return { subject, compatibility };
  }
}
