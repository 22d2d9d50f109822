import { Query } from '@nestjs/cqrs';
import type { AuthPrincipal } from '@event-hub/auth';
import type { CallerView } from './caller.view';

export class WhoAmIQuery extends Query<CallerView> {
  constructor(readonly principal: AuthPrincipal) {
    super();
  }
}
