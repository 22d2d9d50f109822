import { ApiProperty } from '@nestjs/swagger';
import { ROUNDING, type UsageCost } from '../pricing/usage-cost';
import type { PriceList } from '../pricing/price-list';

export class UsageCostView implements UsageCost {
  @ApiProperty({ example: '0.015', description: 'messages × price per message, exact, unrounded' })
  messages!: string;

  @ApiProperty({ example: '0.01234', description: 'bytes × price per byte, exact, unrounded' })
  bytes!: string;

  @ApiProperty({ example: '0.02734', description: 'messages + bytes, exact, unrounded' })
  total!: string;

  @ApiProperty({ example: '0.03', description: 'total rounded half-up to centavos: what is due' })
  amount!: string;
}

export class UsageTotalsView {
  @ApiProperty({ example: '12', description: 'Metered requests (produce or consume calls)' })
  requests!: string;

  @ApiProperty({ example: '3', description: 'Messages produced or delivered (decimal string)' })
  messages!: string;

  @ApiProperty({
    example: '1234',
    description: 'Bytes of keys, values and headers (decimal string)',
  })
  bytes!: string;

  @ApiProperty({ type: UsageCostView })
  cost!: UsageCostView;
}

export class PriceListView {
  @ApiProperty({ example: '0.005' })
  perMessage!: string;

  @ApiProperty({ example: '0.00001' })
  perByte!: string;

  @ApiProperty({ example: 'BRL' })
  currency!: string;

  @ApiProperty({ example: ROUNDING })
  rounding!: string;

  static of(prices: PriceList): PriceListView {
    return {
      perMessage: prices.perMessage.toString(),
      perByte: prices.perByte.toString(),
      currency: prices.currency,
      rounding: ROUNDING,
    };
  }
}
