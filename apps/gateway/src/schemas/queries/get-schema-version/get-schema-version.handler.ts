import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { isSchemaSubject } from '@event-hub/contracts';
import { SchemaRegistry } from '../../registry/schema-registry';
import {
  SchemaSubjectNotFoundError,
  SchemaVersionNotFoundError,
} from '../../registry/schema.errors';
import { SchemaVersionView } from '../../shared/schema.views';
import { GetSchemaVersionQuery } from './get-schema-version.query';

const VERSION = /^[1-9][0-9]{0,8}$/;

@QueryHandler(GetSchemaVersionQuery)
export class GetSchemaVersionHandler implements IQueryHandler<
  GetSchemaVersionQuery,
  SchemaVersionView
> {
  constructor(private readonly registry: SchemaRegistry) {}

  async execute({ tenantId, subject, version }: GetSchemaVersionQuery): Promise<SchemaVersionView> {
    const exists = isSchemaSubject(subject) && (await this.registry.findSubject(tenantId, subject));
    if (!exists) throw new SchemaSubjectNotFoundError(subject);
    const wanted = version === 'latest' ? 'latest' : VERSION.test(version) ? Number(version) : null;
    const row = wanted === null ? null : await this.registry.findVersion(tenantId, subject, wanted);
    if (!row) throw new SchemaVersionNotFoundError(subject, version);
    return SchemaVersionView.of(row);
  }
}
