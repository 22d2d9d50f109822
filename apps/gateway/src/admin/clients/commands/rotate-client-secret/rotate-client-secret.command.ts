import { Command } from '@nestjs/cqrs';
import type { IssuedClientSecret } from '@event-hub/auth';

export class RotateClientSecretCommand extends Command<IssuedClientSecret> {
  constructor(
    readonly tenantId: string,
    readonly clientId: string,
    readonly revokeIssuedTokens: boolean,
  ) {
    super();
  }
}
