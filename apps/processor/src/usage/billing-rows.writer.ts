import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { BILLING_CONSTRAINTS } from '@event-hub/billing-data';
import type { UsageRecord } from './usage-message.parser';

/**
 * Inserts usage events into `billing`, a whole chunk in ONE statement (so one implicit
 * transaction and one round trip): the rows travel as a single JSON array, and the unique
 * `usage_event_id` makes a redelivered event, from an earlier chunk or twice in this one, insert
 * nothing. Returns the usage event ids that were new.
 */
@Injectable()
export class BillingRowsWriter {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(records: UsageRecord[]): Promise<Set<string>> {
    if (records.length === 0) return new Set();
    const rows = records.map(({ usageEventId, usage }) => ({
      usage_event_id: usageEventId,
      tenant: usage.tenant,
      topic: usage.topic,
      client_id: usage.clientId,
      messages: usage.messages,
      bytes: usage.bytes,
      action: usage.action,
      event_time: usage.eventTime,
    }));
    // Text in the record set: an assignment cast into varchar(n) fails on an overlong value,
    // where an explicit cast would silently truncate it.
    const inserted: { usage_event_id: string }[] = await this.dataSource.query(
      `INSERT INTO billing (tenant, topic, client_id, messages, bytes, action, event_time, usage_event_id)
       SELECT tenant, topic, client_id, messages, bytes, action, event_time, usage_event_id
         FROM jsonb_to_recordset($1::jsonb)
           AS entry(tenant text, topic text, client_id text, messages integer, bytes bigint,
                    action text, event_time timestamptz, usage_event_id uuid)
       ON CONFLICT ON CONSTRAINT ${BILLING_CONSTRAINTS.usageEventUnique} DO NOTHING
       RETURNING usage_event_id`,
      [JSON.stringify(rows)],
    );
    return new Set(inserted.map((row) => row.usage_event_id));
  }
}
