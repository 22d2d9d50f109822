import { Query } from '@nestjs/cqrs';
import type { SchemaVersionView } from '../../shared/schema.views';

export class GetSchemaVersionQuery extends Query<SchemaVersionView> {
  constructor(
    readonly tenantId: string,
    readonly subject: string,
    /** A version number as sent, or `latest`. */
    readonly version: string,
  ) {
    super();
  }
}
