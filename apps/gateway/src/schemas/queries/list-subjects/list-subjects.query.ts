import { Query } from '@nestjs/cqrs';
import type { SubjectListView } from '../../shared/schema.views';

export class ListSubjectsQuery extends Query<SubjectListView> {
  constructor(readonly tenantId: string) {
    super();
  }
}
