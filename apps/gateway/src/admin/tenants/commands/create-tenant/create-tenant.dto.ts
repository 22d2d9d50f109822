import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { DEFAULT_TENANT_LIMITS, TENANT_ID_PATTERN } from '@event-hub/auth';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

/** Any limit left out takes its default. */
export class TenantLimitsDto {
  @ApiPropertyOptional({ example: DEFAULT_TENANT_LIMITS.maxTopics, minimum: 1, maximum: 10000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  maxTopics?: number;

  @ApiPropertyOptional({
    example: DEFAULT_TENANT_LIMITS.maxPartitionsPerTopic,
    minimum: 1,
    maximum: 1000,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  maxPartitionsPerTopic?: number;

  @ApiPropertyOptional({ example: DEFAULT_TENANT_LIMITS.maxRetentionMs, minimum: 60000 })
  @IsOptional()
  @IsInt()
  @Min(60000)
  @Max(10 * 365 * 24 * 3600 * 1000)
  maxRetentionMs?: number;

  @ApiPropertyOptional({ example: DEFAULT_TENANT_LIMITS.produceRecordsPerSecond, minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  produceRecordsPerSecond?: number;

  @ApiPropertyOptional({ example: DEFAULT_TENANT_LIMITS.produceBytesPerSecond, minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10 * 1024 * 1024 * 1024)
  produceBytesPerSecond?: number;

  @ApiPropertyOptional({ example: DEFAULT_TENANT_LIMITS.consumeRecordsPerSecond, minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  consumeRecordsPerSecond?: number;

  @ApiPropertyOptional({ example: DEFAULT_TENANT_LIMITS.consumeBytesPerSecond, minimum: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10 * 1024 * 1024 * 1024)
  consumeBytesPerSecond?: number;
}

export class CreateTenantDto {
  @ApiProperty({
    example: 'acme',
    pattern: TENANT_ID_PATTERN.source,
    description: 'Slug, part of the tenant topic names (tenant.<id>.<name>); cannot change later',
  })
  @IsString()
  @Matches(TENANT_ID_PATTERN, {
    message: 'id must be 2-63 lowercase letters, digits or dashes, not starting with a dash',
  })
  id!: string;

  @ApiProperty({ example: 'ACME Corp', minLength: 1, maxLength: 200 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ type: TenantLimitsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => TenantLimitsDto)
  limits?: TenantLimitsDto;
}
