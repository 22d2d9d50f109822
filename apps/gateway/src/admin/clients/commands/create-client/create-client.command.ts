import { Command } from '@nestjs/cqrs';
import type { IssuedClientSecret, Scope } from '@event-hub/auth';

export class CreateClientCommand extends Command<IssuedClientSecret> {
  constructor(
    readonly tenantId: string,
    readonly name: string,
    readonly scopes: Scope[],
  ) {
    super();
  }
}
