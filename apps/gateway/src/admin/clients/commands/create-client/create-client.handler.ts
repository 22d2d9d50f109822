import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiClientsService, type IssuedClientSecret } from '@event-hub/auth';
import { CreateClientCommand } from './create-client.command';

@CommandHandler(CreateClientCommand)
export class CreateClientHandler implements ICommandHandler<
  CreateClientCommand,
  IssuedClientSecret
> {
  constructor(private readonly clients: ApiClientsService) {}

  execute({ tenantId, name, scopes }: CreateClientCommand): Promise<IssuedClientSecret> {
    return this.clients.create(tenantId, { name, scopes });
  }
}
