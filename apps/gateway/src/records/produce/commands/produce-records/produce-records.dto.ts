import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsInt,
  IsOptional,
  IsString,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';

const HEADER_NAME = /^[\x21-\x7e]{1,255}$/;

/** An object of string values, with visible-ASCII names. */
export function isHeaderMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.entries(value).every(
      ([name, headerValue]) => HEADER_NAME.test(name) && typeof headerValue === 'string',
    )
  );
}

function IsHeaderMap(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isHeaderMap',
      validator: {
        validate: isHeaderMap,
        defaultMessage: () =>
          '$property must be an object of string values with visible ASCII names (1-255 characters)',
      },
    },
    options,
  );
}

export class RecordDto {
  @ApiPropertyOptional({ example: 'order-42', description: 'Records of one key keep their order' })
  @IsOptional()
  @IsString()
  key?: string;

  @ApiProperty({ example: { orderId: 42, amount: 10.5 }, description: 'Any JSON value' })
  @IsDefined()
  value!: unknown;

  @ApiPropertyOptional({
    example: { 'trace-id': 'abc' },
    description: 'String headers; client-id, tenant-id and content-type are set by the gateway',
  })
  @IsOptional()
  @IsHeaderMap()
  headers?: Record<string, string>;

  @ApiPropertyOptional({ example: 0, minimum: 0, description: 'Chosen from the key otherwise' })
  @IsOptional()
  @IsInt()
  @Min(0)
  partition?: number;
}

/** One record (`key`, `value`, `headers`, `partition`) or a batch (`records`). */
export class ProduceRecordsDto {
  @ApiPropertyOptional({ type: [RecordDto], description: 'A batch; written all or nothing' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => RecordDto)
  records?: RecordDto[];

  @ApiPropertyOptional({ example: 'order-42' })
  @IsOptional()
  @IsString()
  key?: string;

  @ApiPropertyOptional({ example: { orderId: 42 }, description: 'The single record’s value' })
  @ValidateIf((body: ProduceRecordsDto) => body.records === undefined)
  @IsDefined({ message: 'value must be given (or records)' })
  value?: unknown;

  @ApiPropertyOptional({ example: { 'trace-id': 'abc' } })
  @IsOptional()
  @IsHeaderMap()
  headers?: Record<string, string>;

  @ApiPropertyOptional({ example: 0, minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  partition?: number;
}
