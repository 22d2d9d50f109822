import type { RecordValueProblem } from '../../../schemas/record-value-validator';
import { GatewayError } from '../../../shared/http-errors';

export type ProduceLimitName = 'maxRecords' | 'maxRecordBytes' | 'maxRequestBytes';

/** 413 naming the limit (and the record, for a record too large). */
export class ProduceLimitExceededError extends GatewayError {
  readonly code = 'PRODUCE.PAYLOAD_TOO_LARGE';
  readonly status = 413;
  readonly title = 'Produce request too large';
  constructor(limit: ProduceLimitName, max: number, detail: string, field?: string) {
    super(detail);
    this.extensions['limit'] = limit;
    this.extensions['max'] = max;
    if (field !== undefined) this.extensions['field'] = field;
  }
}

export class PartitionOutOfRangeError extends GatewayError {
  readonly code = 'PRODUCE.UNKNOWN_PARTITION';
  readonly status = 400;
  readonly title = 'No such partition';
  constructor(index: number, partition: number, partitions: number) {
    super(
      `records[${index}].partition is ${partition}; the topic has partitions 0 to ${partitions - 1}`,
    );
    this.extensions['field'] = `records[${index}].partition`;
  }
}

/**
 * 400: a record without key for a compacted topic. Checked before writing: the broker would refuse
 * it, and with it the whole transaction the request shares with others.
 */
export class KeyRequiredError extends GatewayError {
  readonly code = 'PRODUCE.KEY_REQUIRED';
  readonly status = 400;
  readonly title = 'Records of a compacted topic need a key';
  constructor(index: number) {
    super(`records[${index}].key is missing; the topic is compacted, so every record needs a key`);
    this.extensions['field'] = `records[${index}].key`;
  }
}

/** 422: values that do not conform to the topic's schema; nothing of the request was written. */
export class RecordValuesInvalidError extends GatewayError {
  readonly code = 'PRODUCE.SCHEMA_VIOLATION';
  readonly status = 422;
  readonly title = 'Record values do not conform to the topic schema';
  constructor(subject: string, problems: RecordValueProblem[]) {
    const errors = problems.map((p) => ({
      field: `records[${p.index}].value${p.path}`,
      message: p.message,
    }));
    super(
      `Nothing was written. Against subject ${subject}: ${errors.map((e) => e.field).join(', ')}`,
    );
    this.extensions['subject'] = subject;
    this.extensions['errors'] = errors;
  }
}

export type NotProducedReason =
  'queue_full' | 'aborted' | 'timeout' | 'outcome_unknown' | 'closing';

/** 503: Kafka did not take the records; `written` tells whether a retry could duplicate them. */
export class RecordsNotProducedError extends GatewayError {
  readonly code = 'PRODUCE.NOT_ACCEPTED';
  readonly status = 503;
  readonly title = 'Kafka did not accept the records';
  constructor(
    reason: NotProducedReason,
    override readonly retryAfterSeconds: number,
    detail: string,
  ) {
    super(detail);
    this.extensions['reason'] = reason;
    this.extensions['written'] = reason === 'outcome_unknown' ? 'unknown' : false;
  }
}
