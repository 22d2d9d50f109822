import { Query } from '@nestjs/cqrs';
import type { CommandStatusView } from './command-status.view';

export class GetCommandStatusQuery extends Query<CommandStatusView> {
  constructor(readonly correlationId: string) {
    super();
  }
}
