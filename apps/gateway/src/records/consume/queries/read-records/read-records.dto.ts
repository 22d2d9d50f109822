import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ReadRecordsParams {
  @ApiPropertyOptional({
    description:
      'Start at this offset on every partition (`15`), or per partition (`0:15,1:20`: only the listed ' +
      'partitions are read). Older than the earliest retained record: from the earliest; past the ' +
      'end of a partition: 400. One of fromOffset, fromTime, group; none: from the earliest retained record.',
    example: '0:15,1:20',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  fromOffset?: string;

  @ApiPropertyOptional({
    description:
      'Start at the first record whose Kafka timestamp is at or after this ISO-8601 instant ' +
      '(Kafka’s offset-for-time lookup); at the end of a partition with none.',
    example: '2026-01-31T12:00:00Z',
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  fromTime?: string;

  @ApiPropertyOptional({
    description:
      'A named consumer group of the caller’s tenant: start at its committed offsets (the earliest ' +
      'retained record where it has none). Reading does not commit; commit with POST /topics/{name}/offsets.',
    example: 'billing-service',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  group?: string;

  @ApiPropertyOptional({ description: 'Read this partition only', minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000)
  partition?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit: number = 100;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: 30000,
    default: 0,
    description:
      'Long poll: when no record is there, wait up to this long and answer as soon as one arrives ' +
      '(else an empty list). 0 answers at once with what is there.',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(30000)
  maxWaitMs: number = 0;

  @ApiPropertyOptional({
    description:
      'The consuming client, billed for the records; defaults to the token’s client id and, when ' +
      'given, must be it (403 otherwise)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  clientId?: string;
}
