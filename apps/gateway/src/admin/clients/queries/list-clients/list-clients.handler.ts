import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ApiClientsService, type ApiClientView } from '@event-hub/auth';
import { ListClientsQuery } from './list-clients.query';

@QueryHandler(ListClientsQuery)
export class ListClientsHandler implements IQueryHandler<ListClientsQuery, ApiClientView[]> {
  constructor(private readonly clients: ApiClientsService) {}

  execute({ tenantId }: ListClientsQuery): Promise<ApiClientView[]> {
    return this.clients.list(tenantId);
  }
}
