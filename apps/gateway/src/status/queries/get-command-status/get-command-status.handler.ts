import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CommandStatusEntity } from '../../../command-acceptance/command-status.entity';
import { CommandStatusNotFoundError } from '../../../shared/http-errors';
import type { CommandStatusView } from './command-status.view';
import { GetCommandStatusQuery } from './get-command-status.query';

@QueryHandler(GetCommandStatusQuery)
export class GetCommandStatusHandler implements IQueryHandler<
  GetCommandStatusQuery,
  CommandStatusView
> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(query: GetCommandStatusQuery): Promise<CommandStatusView> {
    const row = await this.db
      .getRepository(CommandStatusEntity)
      .findOneBy({ correlationId: query.correlationId, tenantId: query.tenantId });
    if (!row) throw new CommandStatusNotFoundError(query.correlationId);
    const view: CommandStatusView = {
      correlationId: row.correlationId,
      status: row.status,
      command: row.command,
      acceptedAt: row.acceptedAt.toISOString(),
    };
    if (row.result !== null) view.result = row.result;
    if (row.error !== null) view.error = row.error;
    if (row.completedAt !== null) view.completedAt = row.completedAt.toISOString();
    return view;
  }
}
