import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CommandStatusEntity } from '../../command-acceptance/command-status.entity';
import { RecentCommandsQuery } from './recent-commands.query';
import type { RecentCommandView, RecentCommandsView } from './recent-commands.view';

@QueryHandler(RecentCommandsQuery)
export class RecentCommandsHandler implements IQueryHandler<
  RecentCommandsQuery,
  RecentCommandsView
> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute(query: RecentCommandsQuery): Promise<RecentCommandsView> {
    const rows = await this.db.getRepository(CommandStatusEntity).find({
      // The tenant filter is the isolation: a null tenant id is asked for only by operators.
      where: query.tenantId === null ? {} : { tenantId: query.tenantId },
      order: { acceptedAt: 'DESC' },
      take: query.limit,
    });
    return {
      scope: query.tenantId === null ? 'all-tenants' : 'tenant',
      commands: rows.map(toView),
    };
  }
}

function toView(row: CommandStatusEntity): RecentCommandView {
  const view: RecentCommandView = {
    correlationId: row.correlationId,
    tenantId: row.tenantId,
    command: row.command,
    status: row.status,
    acceptedAt: row.acceptedAt.toISOString(),
  };
  if (row.error !== null) view.error = row.error;
  if (row.completedAt !== null) view.completedAt = row.completedAt.toISOString();
  return view;
}
