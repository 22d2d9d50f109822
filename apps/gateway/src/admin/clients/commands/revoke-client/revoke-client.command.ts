import { Command } from '@nestjs/cqrs';
import type { ApiClientView } from '@event-hub/auth';

export class RevokeClientCommand extends Command<ApiClientView> {
  constructor(
    readonly tenantId: string,
    readonly clientId: string,
  ) {
    super();
  }
}
