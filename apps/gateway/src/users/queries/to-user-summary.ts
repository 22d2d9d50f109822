import type { UserEntity } from '@event-hub/user-data';
import type { UserSummaryView } from './user.views';

export function toUserSummary(user: UserEntity): UserSummaryView {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    document: user.document,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
