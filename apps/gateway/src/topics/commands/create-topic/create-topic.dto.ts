import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import {
  SCHEMA_SUBJECT_PATTERN,
  TENANT_TOPIC_NAME_MAX_LENGTH,
  TENANT_TOPIC_NAME_PATTERN,
  type CleanupPolicy,
} from '@event-hub/contracts';
import { CLEANUP_POLICIES } from '../../shared/topic.views';

/** A topic binds to a subject the registry accepts: one rule for both. */
export const VALUE_SUBJECT_PATTERN = SCHEMA_SUBJECT_PATTERN;
export const MIN_RETENTION_MS = 60_000;
export const DEFAULT_PARTITIONS = 3;

export class CreateTopicDto {
  @ApiProperty({
    example: 'orders.created',
    pattern: TENANT_TOPIC_NAME_PATTERN.source,
    maxLength: TENANT_TOPIC_NAME_MAX_LENGTH,
    description:
      'Dot-separated segments of lowercase letters, digits and inner hyphens; the Kafka topic is tenant.<tenantId>.<name>',
  })
  @IsString()
  @MaxLength(TENANT_TOPIC_NAME_MAX_LENGTH)
  @Matches(TENANT_TOPIC_NAME_PATTERN, {
    message: 'name must be dot-separated segments of lowercase letters, digits and inner hyphens',
  })
  name!: string;

  @ApiPropertyOptional({
    example: 3,
    minimum: 1,
    default: DEFAULT_PARTITIONS,
    description: 'At most the tenant limit maxPartitionsPerTopic',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  partitions?: number;

  @ApiPropertyOptional({
    example: 604800000,
    minimum: MIN_RETENTION_MS,
    description: 'At most the tenant limit maxRetentionMs (also the default)',
  })
  @IsOptional()
  @IsInt()
  @Min(MIN_RETENTION_MS)
  retentionMs?: number;

  @ApiPropertyOptional({ enum: CLEANUP_POLICIES, default: 'delete' })
  @IsOptional()
  @IsIn(CLEANUP_POLICIES)
  cleanupPolicy?: CleanupPolicy;

  @ApiPropertyOptional({
    example: 'orders-value',
    pattern: VALUE_SUBJECT_PATTERN.source,
    description: 'Schema subject (of this tenant) every produced value must conform to',
  })
  @IsOptional()
  @IsString()
  @Matches(VALUE_SUBJECT_PATTERN, { message: 'valueSubject must be a schema subject name' })
  valueSubject?: string;
}
