import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  PaymentEntity,
  PreferencesEntity,
  SubscriptionEntity,
  UserEntity,
} from '@event-hub/user-data';
import { UserNotFoundError } from '../../../shared/http-errors';
import { toUserSummary } from '../to-user-summary';
import type { UserDetailsView } from '../user.views';
import { GetUserQuery } from './get-user.query';

/** Payments listed with a user; the rest stay in the database rather than in one huge answer. */
export const USER_PAYMENTS_SHOWN = 100;

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery, UserDetailsView> {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async execute({ userId, tenantId }: GetUserQuery): Promise<UserDetailsView> {
    const [user, subscriptions, payments, preferences] = await Promise.all([
      this.db.getRepository(UserEntity).findOneBy({ id: userId, tenantId }),
      this.db
        .getRepository(SubscriptionEntity)
        .find({ where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } }),
      this.db.getRepository(PaymentEntity).find({
        where: { userId },
        order: { createdAt: 'DESC', id: 'ASC' },
        take: USER_PAYMENTS_SHOWN,
      }),
      this.db.getRepository(PreferencesEntity).findOneBy({ userId }),
    ]);
    if (!user) throw new UserNotFoundError(userId);
    return {
      ...toUserSummary(user),
      subscriptions: subscriptions.map((s) => ({
        id: s.id,
        plan: s.plan,
        billingCycle: s.billingCycle,
        startDate: s.startDate,
        status: s.status,
        createdAt: s.createdAt.toISOString(),
      })),
      payments: payments.map((p) => ({
        id: p.id,
        amount: p.amount,
        currency: p.currency,
        method: p.method,
        subscriptionId: p.subscriptionId,
        createdAt: p.createdAt.toISOString(),
      })),
      preferences: preferences
        ? { settings: preferences.settings, updatedAt: preferences.updatedAt.toISOString() }
        : null,
    };
  }
}
