import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';
import { MIN_RETENTION_MS, VALUE_SUBJECT_PATTERN } from '../create-topic/create-topic.dto';

/** Only the fields present change. */
export class UpdateTopicDto {
  @ApiPropertyOptional({ example: 86400000, minimum: MIN_RETENTION_MS })
  @IsOptional()
  @IsInt()
  @Min(MIN_RETENTION_MS)
  retentionMs?: number;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'orders-value',
    description: 'Bind a schema subject to the values; null unbinds it',
  })
  @IsOptional()
  @IsString()
  @Matches(VALUE_SUBJECT_PATTERN, { message: 'valueSubject must be a schema subject name' })
  valueSubject?: string | null;
}
