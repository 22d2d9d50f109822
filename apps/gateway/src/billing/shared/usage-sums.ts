import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** What usage can be grouped by, and the `billing` columns each grouping keys on. */
export const USAGE_GROUPINGS = {
  tenant: ['tenant'],
  // Client ids are global, but a client belongs to one tenant: the tenant comes along for free.
  client: ['tenant', 'client_id'],
  // Topic names are per tenant: "orders" of two tenants are two topics.
  topic: ['tenant', 'topic'],
  action: ['action'],
} as const;

export type UsageGrouping = keyof typeof USAGE_GROUPINGS;
type GroupColumn = (typeof USAGE_GROUPINGS)[UsageGrouping][number];

export interface UsageSumRow {
  key: Partial<Record<GroupColumn, string>>;
  requests: bigint;
  messages: bigint;
  bytes: bigint;
}

export interface UsageSumQuery {
  /** `null`: every tenant. */
  tenant: string | null;
  from: Date;
  to: Date;
  columns: readonly GroupColumn[];
}

/**
 * Sums of `billing` in [from, to), grouped, read by `(tenant, event_time)` for one tenant and
 * `(event_time)` for all. Sums come back as text and become bigints: int8 sums can pass 2^53.
 */
@Injectable()
export class UsageSums {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async sum({ tenant, from, to, columns }: UsageSumQuery): Promise<UsageSumRow[]> {
    // Column names come from USAGE_GROUPINGS only, never from the request.
    const keys = columns.join(', ');
    const parameters: string[] = [from.toISOString(), to.toISOString()];
    if (tenant !== null) parameters.push(tenant);
    const rows: (Record<string, string> & { requests: string; messages: string; bytes: string })[] =
      await this.db.query(
        `SELECT ${keys}, count(*)::text AS requests,
                sum(messages)::text AS messages, sum(bytes)::text AS bytes
           FROM billing
          WHERE event_time >= $1 AND event_time < $2${tenant === null ? '' : ' AND tenant = $3'}
          GROUP BY ${keys}
          ORDER BY ${keys}`,
        parameters,
      );
    return rows.map((row) => ({
      key: Object.fromEntries(columns.map((column) => [column, row[column]])),
      requests: BigInt(row.requests),
      messages: BigInt(row.messages),
      bytes: BigInt(row.bytes),
    }));
  }
}
