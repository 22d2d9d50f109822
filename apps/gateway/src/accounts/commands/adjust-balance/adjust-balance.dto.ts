import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { PIX_MAX_AMOUNT } from '@event-hub/pix-data';
import { IsBalance } from '../../shared/balance-amount';

export class AdjustBalanceDto {
  @ApiProperty({
    type: 'string',
    example: '150.00',
    description: `The new balance, absolute: a decimal string ≥ 0 with at most 2 decimals, at most ${PIX_MAX_AMOUNT}; a JSON number is refused.`,
  })
  @IsBalance()
  balance!: string;

  @ApiProperty({
    example: 'refund of a duplicated fee',
    minLength: 1,
    maxLength: 500,
    description: 'Kept in the ledger entry and the audit log with the previous and new balance',
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}
