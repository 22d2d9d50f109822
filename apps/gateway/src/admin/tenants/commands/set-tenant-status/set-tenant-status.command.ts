import { Command } from '@nestjs/cqrs';
import type { TenantView } from '@event-hub/auth';

export class SetTenantStatusCommand extends Command<TenantView> {
  constructor(
    readonly tenantId: string,
    readonly disabled: boolean,
  ) {
    super();
  }
}
