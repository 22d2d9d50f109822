import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PIX_KEY_TYPES, type PixKeyType } from '@event-hub/pix-data';

/** How many keys one account may be opened with (the DICT allows 5 per CPF holder, 20 per CNPJ). */
export const MAX_PIX_KEYS = 20;

export class PixKeyDto {
  @ApiProperty({ enum: PIX_KEY_TYPES, example: 'EMAIL' })
  @IsIn(PIX_KEY_TYPES)
  type!: PixKeyType;

  @ApiProperty({
    example: 'ana@example.com',
    description:
      'CPF (11 digits or 123.456.789-09, check digits verified), CNPJ (14 digits or ' +
      '12.345.678/0001-95), e-mail (≤ 77 characters), phone (+55, area code, number) or EVP ' +
      '(a version 4 UUID). Stored normalised: digits only, lower case.',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  value!: string;
}

export class OpenAccountDto {
  @ApiProperty({ format: 'uuid', description: 'An existing user of the caller’s tenant' })
  @IsUUID('all')
  userId!: string;

  @ApiProperty({ type: [PixKeyDto], maxItems: MAX_PIX_KEYS })
  @IsArray()
  @ArrayMaxSize(MAX_PIX_KEYS)
  @ValidateNested({ each: true })
  @Type(() => PixKeyDto)
  pixKeys!: PixKeyDto[];
}
