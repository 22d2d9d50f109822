import { Command } from '@nestjs/cqrs';
import type { CompatibilityMode } from '../../registry/schema-subject.entity';
import type { CompatibilityView } from '../../shared/schema.views';

export class SetCompatibilityCommand extends Command<CompatibilityView> {
  constructor(
    readonly tenantId: string,
    readonly subject: string,
    readonly compatibility: CompatibilityMode,
  ) {
    super();
  }
}
