import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PartitionOffsetView {
  @ApiProperty({ example: 0 })
  partition!: number;

  @ApiProperty({ example: '42', description: 'Kafka offset (64-bit, as a decimal string)' })
  offset!: string;
}

export class ConsumedRecordView {
  @ApiProperty({ example: 0 })
  partition!: number;

  @ApiProperty({ example: '41' })
  offset!: string;

  @ApiProperty({ example: '2026-01-31T12:00:00.000Z', description: 'The Kafka record timestamp' })
  timestamp!: string;

  @ApiPropertyOptional({ example: 'order-17', nullable: true, type: String })
  key!: string | null;

  @ApiProperty({
    example: { orderId: 17, total: 99.9 },
    description:
      'The stored JSON when the value is UTF-8 JSON (as stored: numbers keep their digits), else ' +
      'the value as a UTF-8 string (null for none)',
  })
  value!: unknown;

  @ApiProperty({
    example: { 'client-id': 'ehc_1f…', 'tenant-id': 'acme' },
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  headers!: Record<string, string>;
}

export class ConsumedRecordsView {
  @ApiProperty({ type: [ConsumedRecordView], description: 'Per partition in offset order' })
  records!: ConsumedRecordView[];

  @ApiProperty({
    type: [PartitionOffsetView],
    description:
      'For every partition read, the offset to continue from: pass them as fromOffset ' +
      '(`0:42,1:17`) or commit them to a group with POST /topics/{name}/offsets',
  })
  nextOffsets!: PartitionOffsetView[];
}
