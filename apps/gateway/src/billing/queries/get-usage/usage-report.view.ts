import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PriceListView, UsageTotalsView } from '../../shared/billing.views';
import type { UsageGrouping } from '../../shared/usage-sums';

export class UsageGroupKeyView {
  @ApiPropertyOptional({ example: 'acme' })
  tenant?: string;

  @ApiPropertyOptional({ example: 'ehc_3f9a…', description: 'API client id' })
  client?: string;

  @ApiPropertyOptional({ example: 'orders', description: 'The tenant’s own topic name' })
  topic?: string;

  @ApiPropertyOptional({ enum: ['produce', 'consume'] })
  action?: string;
}

export class UsageGroupView extends UsageTotalsView {
  @ApiProperty({ type: UsageGroupKeyView })
  group!: UsageGroupKeyView;
}

export class UsageReportView {
  @ApiProperty({ example: '2026-11-01T00:00:00.000Z' })
  from!: string;

  @ApiProperty({ example: '2026-12-01T00:00:00.000Z' })
  to!: string;

  @ApiProperty({ enum: ['tenant', 'client', 'topic', 'action'] })
  groupBy!: UsageGrouping;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'acme',
    description: 'The tenant reported on; null: every tenant',
  })
  tenant!: string | null;

  @ApiProperty({ type: PriceListView })
  prices!: PriceListView;

  @ApiProperty({ type: [UsageGroupView], description: 'Sorted by the group’s key' })
  groups!: UsageGroupView[];

  @ApiProperty({
    type: UsageTotalsView,
    description: 'All groups together, priced from the summed usage and rounded once',
  })
  total!: UsageTotalsView;
}
