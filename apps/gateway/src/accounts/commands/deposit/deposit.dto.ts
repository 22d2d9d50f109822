import { ApiProperty } from '@nestjs/swagger';
import { IsMoneyAmount, MAX_PAYMENT_AMOUNT } from '../../../users/commands/record-payment/amount';

export class DepositDto {
  @ApiProperty({
    type: 'string',
    example: '150.00',
    pattern: '^(0|[1-9]\\d{0,11})(\\.\\d{1,2})?$',
    description: `Decimal string, > 0, at most 2 decimals and at most ${MAX_PAYMENT_AMOUNT}; a JSON number is refused.`,
  })
  @IsMoneyAmount()
  amount!: string;
}
