import { Query } from '@nestjs/cqrs';
import type { CommandStatusView } from './command-status.view';

export class GetCommandStatusQuery extends Query<CommandStatusView> {
  constructor(
    readonly correlationId: string,
    /** Only this tenant's commands are visible: another tenant's id is as unknown as a random one. */
    readonly tenantId: string,
  ) {
    super();
  }
}
