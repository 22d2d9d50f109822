import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsString,
  MaxLength,
} from 'class-validator';
import { ALL_SCOPES, type Scope } from '@event-hub/auth';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class CreateClientDto {
  @ApiProperty({ example: 'orders-service', minLength: 1, maxLength: 200 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ApiProperty({
    enum: ALL_SCOPES,
    isArray: true,
    example: ['events:produce', 'events:consume'],
    description: 'What its tokens may do; `admin` only for clients of the platform tenant',
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(ALL_SCOPES.length)
  @IsIn(ALL_SCOPES, { each: true, message: `each scope must be one of: ${ALL_SCOPES.join(', ')}` })
  scopes!: Scope[];
}
