import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiClientsService, type IssuedClientSecret } from '@event-hub/auth';
import { RotateClientSecretCommand } from './rotate-client-secret.command';

@CommandHandler(RotateClientSecretCommand)
export class RotateClientSecretHandler implements ICommandHandler<
  RotateClientSecretCommand,
  IssuedClientSecret
> {
  constructor(private readonly clients: ApiClientsService) {}

  execute(command: RotateClientSecretCommand): Promise<IssuedClientSecret> {
    return this.clients.rotate(command.tenantId, command.clientId, {
      revokeIssuedTokens: command.revokeIssuedTokens,
    });
  }
}
