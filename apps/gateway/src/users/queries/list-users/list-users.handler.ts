import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { UserEntity } from '@event-hub/user-data';
import { toUserSummary } from '../to-user-summary';
import type { UserPageView } from '../user.views';
import { ListUsersQuery } from './list-users.query';

@QueryHandler(ListUsersQuery)
export class ListUsersHandler implements IQueryHandler<ListUsersQuery, UserPageView> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ tenantId, page, pageSize, email }: ListUsersQuery): Promise<UserPageView> {
    const query = this.db
      .getRepository(UserEntity)
      .createQueryBuilder('u')
      .where('u.tenantId = :tenantId', { tenantId });
    // (tenant_id, lower(email)) is what the unique index covers, so this is an index lookup.
    if (email !== undefined) query.andWhere('lower(u.email) = lower(:email)', { email });
    const [users, total] = await query
      .orderBy('u.createdAt', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    return { items: users.map(toUserSummary), page, pageSize, total };
  }
}
