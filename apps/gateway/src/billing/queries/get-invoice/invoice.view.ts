import { ApiProperty } from '@nestjs/swagger';
import { PriceListView, UsageTotalsView } from '../../shared/billing.views';

export class InvoiceLineView extends UsageTotalsView {
  @ApiProperty({ example: 'orders', description: 'The tenant’s own topic name' })
  topic!: string;

  @ApiProperty({ enum: ['produce', 'consume'] })
  action!: string;
}

export class InvoicePeriodView {
  @ApiProperty({ example: '2026-11-01T00:00:00.000Z', description: 'Inclusive' })
  from!: string;

  @ApiProperty({ example: '2026-12-01T00:00:00.000Z', description: 'Exclusive' })
  to!: string;
}

export class InvoiceView {
  @ApiProperty({ example: 'acme' })
  tenant!: string;

  @ApiProperty({ example: '2026-11' })
  month!: string;

  @ApiProperty({ type: InvoicePeriodView })
  period!: InvoicePeriodView;

  @ApiProperty({ type: PriceListView })
  prices!: PriceListView;

  @ApiProperty({
    type: [InvoiceLineView],
    description:
      'One line per topic and action, by topic then action. A line’s `amount` is rounded for ' +
      'display; the total is rounded once from the exact sum, so line amounts may differ from ' +
      'it by a centavo or so.',
  })
  lines!: InvoiceLineView[];

  @ApiProperty({ type: UsageTotalsView, description: '`total.cost.amount` is what is due' })
  total!: UsageTotalsView;
}
