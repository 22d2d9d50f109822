import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { LogDocument, RecordFormat } from '../elasticsearch/log-document';

class DeadLetterView {
  @ApiProperty({ example: 'document_parsing_exception' })
  type!: string;

  @ApiProperty({ description: 'Why Elasticsearch rejected the document' })
  reason!: string;

  @ApiProperty({ description: 'The index the document was meant for' })
  index!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiPropertyOptional({
    description: 'Only coordinates kept (even the dead-letter document was rejected)',
  })
  contentOmitted?: boolean;
}

/** One Kafka record as indexed (see the index template for the field types). */
export class LogRecordView implements Partial<LogDocument> {
  @ApiProperty({
    description: 'Document id: `${topic}-${partition}-${offset}`',
    example: 'user_events-2-41',
  })
  id!: string;

  @ApiProperty({ example: 'event-hub-logs-2025.01.31' })
  index!: string;

  @ApiProperty({ description: 'Kafka record timestamp', format: 'date-time' })
  '@timestamp'!: string;

  @ApiProperty({ description: 'When the monitor read the record', format: 'date-time' })
  readAt!: string;

  @ApiProperty({ example: 'user_events' })
  topic!: string;

  @ApiProperty()
  partition!: number;

  @ApiProperty()
  offset!: number;

  @ApiPropertyOptional()
  key?: string;

  @ApiPropertyOptional({ enum: ['base64'], description: 'Set when the key is not UTF-8' })
  keyEncoding?: 'base64';

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  headers?: Record<string, string>;

  @ApiProperty({ enum: ['envelope', 'json', 'text', 'binary', 'empty'] })
  format!: RecordFormat;

  @ApiPropertyOptional() eventId?: string;
  @ApiPropertyOptional({ example: 'users.create_user' }) eventType?: string;
  @ApiPropertyOptional() source?: string;
  @ApiPropertyOptional() tenantId?: string;
  @ApiPropertyOptional() correlationId?: string;
  @ApiPropertyOptional() causationId?: string;
  @ApiPropertyOptional() version?: string;
  @ApiPropertyOptional() clientId?: string;
  @ApiPropertyOptional({ description: 'OpenTelemetry trace id, from the traceparent header' })
  traceId?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: "The envelope's data, or the JSON value (non-objects as { value })",
  })
  payload?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'The value as UTF-8 text' })
  message?: string;

  @ApiPropertyOptional({ description: 'A binary value, base64' })
  rawBase64?: string;

  @ApiProperty({ description: 'Bytes of the record value' })
  valueBytes!: number;

  @ApiProperty({ description: 'The value is not JSON (text or binary)' })
  parseError!: boolean;

  @ApiPropertyOptional()
  parseErrorReason?: string;

  @ApiPropertyOptional({ type: DeadLetterView, description: 'Present on dead-letter documents' })
  deadLetter?: DeadLetterView;
}

export class LogPageView {
  @ApiProperty({ example: 1 })
  page!: number;

  @ApiProperty({ example: 20 })
  pageSize!: number;

  @ApiProperty({ description: 'Matching records' })
  total!: number;

  @ApiProperty({ type: [LogRecordView], description: 'Newest first' })
  items!: LogRecordView[];
}

export class TraceLinkView {
  @ApiProperty({ example: '4bf92f3577b34da6a3ce929d0e0e4736' })
  traceId!: string;

  @ApiPropertyOptional({
    example: 'http://127.0.0.1:16686/trace/4bf92f3577b34da6a3ce929d0e0e4736',
    description: 'The trace in Jaeger (present when JAEGER_UI_URL is configured)',
  })
  url?: string;
}

export class TraceView {
  @ApiProperty()
  correlationId!: string;

  @ApiProperty({
    type: [TraceLinkView],
    description: 'The OpenTelemetry traces the records belong to, in order of first appearance',
  })
  traces!: TraceLinkView[];

  @ApiProperty({ description: 'Records of the flow' })
  total!: number;

  @ApiProperty({ description: 'More records exist than returned (the first ones are returned)' })
  truncated!: boolean;

  @ApiProperty({ type: [LogRecordView], description: 'In time order (record timestamp)' })
  items!: LogRecordView[];
}
