import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { isSchemaSubject } from '@event-hub/contracts';
import { SchemaRegistry } from '../../registry/schema-registry';
import { SchemaSubjectNotFoundError } from '../../registry/schema.errors';
import type { VersionListView } from '../../shared/schema.views';
import { ListVersionsQuery } from './list-versions.query';

@QueryHandler(ListVersionsQuery)
export class ListVersionsHandler implements IQueryHandler<ListVersionsQuery, VersionListView> {
  constructor(private readonly registry: SchemaRegistry) {}

  async execute({ tenantId, subject }: ListVersionsQuery): Promise<VersionListView> {
    const exists = isSchemaSubject(subject) && (await this.registry.findSubject(tenantId, subject));
    if (!exists) throw new SchemaSubjectNotFoundError(subject);
    return { subject, versions: await this.registry.listVersions(tenantId, subject) };
  }
}
