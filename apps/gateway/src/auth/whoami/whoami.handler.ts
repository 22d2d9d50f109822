import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CallerView } from './caller.view';
import { WhoAmIQuery } from './whoami.query';

@QueryHandler(WhoAmIQuery)
export class WhoAmIHandler implements IQueryHandler<WhoAmIQuery, CallerView> {
  // The guards have verified the token; the answer is what it grants, without a database read.
  execute({ principal }: WhoAmIQuery): Promise<CallerView> {
    return Promise.resolve(CallerView.of(principal));
  }
}
