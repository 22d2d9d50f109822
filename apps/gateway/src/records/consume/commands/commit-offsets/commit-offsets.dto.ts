import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { GROUP_NAME } from '../../shared/start-position';

export class PartitionOffsetDto {
  @ApiProperty({ example: 0 })
  @IsInt()
  @Min(0)
  @Max(100_000)
  partition!: number;

  @ApiProperty({
    example: '42',
    description: 'The next offset to read (Kafka semantics): a nextOffsets entry of a read',
  })
  @IsString()
  @Matches(/^(0|[1-9]\d{0,18})$/, { message: 'offset must be a non-negative integer string' })
  offset!: string;
}

export class CommitOffsetsDto {
  @ApiProperty({ example: 'billing-service', description: 'A group name of the caller’s tenant' })
  @IsString()
  @Matches(GROUP_NAME, {
    message: 'group must be 1-100 letters, digits, dots, underscores or dashes',
  })
  group!: string;

  @ApiProperty({ type: [PartitionOffsetDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => PartitionOffsetDto)
  offsets!: PartitionOffsetDto[];
}
