import { Query } from '@nestjs/cqrs';
import type { TenantView } from '@event-hub/auth';

export class ListTenantsQuery extends Query<TenantView[]> {}
