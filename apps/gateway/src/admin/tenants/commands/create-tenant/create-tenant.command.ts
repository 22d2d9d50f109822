import { Command } from '@nestjs/cqrs';
import type { TenantLimits, TenantView } from '@event-hub/auth';

export class CreateTenantCommand extends Command<TenantView> {
  constructor(
    readonly id: string,
    readonly name: string,
    readonly limits: Partial<TenantLimits> = {},
  ) {
    super();
  }
}
