import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiClientsService, type ApiClientView } from '@event-hub/auth';
import { RevokeClientCommand } from './revoke-client.command';

@CommandHandler(RevokeClientCommand)
export class RevokeClientHandler implements ICommandHandler<RevokeClientCommand, ApiClientView> {
  constructor(private readonly clients: ApiClientsService) {}

  execute({ tenantId, clientId }: RevokeClientCommand): Promise<ApiClientView> {
    return this.clients.revoke(tenantId, clientId);
  }
}
