import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CleanupPolicy } from '@event-hub/contracts';
import type { TenantTopicEntity } from './tenant-topic.entity';

export const CLEANUP_POLICIES: readonly CleanupPolicy[] = ['delete', 'compact', 'compact,delete'];

export class TopicView {
  @ApiProperty({ example: 'orders.created' })
  name!: string;

  @ApiProperty({ example: 'tenant.acme.orders.created', description: 'The Kafka topic' })
  kafkaTopic!: string;

  @ApiProperty({ example: 3 })
  partitions!: number;

  @ApiProperty({ example: 604800000 })
  retentionMs!: number;

  @ApiProperty({ enum: CLEANUP_POLICIES, example: 'delete' })
  cleanupPolicy!: CleanupPolicy;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'orders-value',
    description: 'Schema subject produced values must conform to',
  })
  valueSubject!: string | null;

  @ApiProperty({ example: '2026-11-23T12:00:00.000Z' })
  createdAt!: string;

  static of(row: TenantTopicEntity): TopicView {
    return {
      name: row.name,
      kafkaTopic: row.physicalName,
      partitions: row.partitions,
      retentionMs: row.retentionMs,
      cleanupPolicy: row.cleanupPolicy,
      valueSubject: row.valueSubject,
      createdAt: row.createdAt.toISOString(),
    };
  }
}

export class TopicListView {
  @ApiProperty({ type: [TopicView] })
  topics!: TopicView[];
}
