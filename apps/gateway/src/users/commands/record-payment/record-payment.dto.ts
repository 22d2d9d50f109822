import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import {
  CURRENCIES,
  PAYMENT_METHODS,
  type Currency,
  type PaymentMethod,
} from '@event-hub/contracts';
import { IsMoneyAmount, MAX_PAYMENT_AMOUNT } from './amount';

export class RecordPaymentDto {
  @ApiProperty({
    type: 'string',
    example: '149.90',
    pattern: '^(0|[1-9]\\d{0,11})(\\.\\d{1,2})?$',
    description:
      `Decimal string, positive, at most 2 decimals and at most ${MAX_PAYMENT_AMOUNT}. ` +
      'A JSON number (149.9, 1e3) is refused: it has been through a binary float by the time it is read.',
  })
  @IsMoneyAmount()
  amount!: string;

  @ApiProperty({ enum: CURRENCIES, example: 'BRL' })
  @IsIn(CURRENCIES)
  currency!: Currency;

  @ApiProperty({ enum: PAYMENT_METHODS, example: 'pix' })
  @IsIn(PAYMENT_METHODS)
  method!: PaymentMethod;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The subscription this payment is for, if any',
  })
  @IsOptional()
  @IsUUID('all')
  subscriptionId?: string;
}
