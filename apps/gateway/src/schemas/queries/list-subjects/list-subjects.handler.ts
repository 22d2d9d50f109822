import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { SchemaRegistry } from '../../registry/schema-registry';
import type { SubjectListView } from '../../shared/schema.views';
import { ListSubjectsQuery } from './list-subjects.query';

@QueryHandler(ListSubjectsQuery)
export class ListSubjectsHandler implements IQueryHandler<ListSubjectsQuery, SubjectListView> {
  constructor(private readonly registry: SchemaRegistry) {}

  async execute({ tenantId }: ListSubjectsQuery): Promise<SubjectListView> {
    return { subjects: await this.registry.listSubjects(tenantId) };
  }
}
