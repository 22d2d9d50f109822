import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { IsInstant, IsLaterThan, MAX_REPORT_DAYS, TENANT_ID } from '../../shared/billing-params';
import { USAGE_GROUPINGS, type UsageGrouping } from '../../shared/usage-sums';

export class GetUsageParams {
  @ApiProperty({
    example: '2026-11-01',
    description: 'Start, inclusive: a date (midnight UTC) or a date-time with an offset',
  })
  @IsInstant()
  from!: string;

  @ApiProperty({
    example: '2026-12-01',
    description: `End, exclusive; later than \`from\` by at most ${MAX_REPORT_DAYS} days`,
  })
  @IsInstant()
  @IsLaterThan('from', MAX_REPORT_DAYS)
  to!: string;

  @ApiPropertyOptional({
    enum: Object.keys(USAGE_GROUPINGS),
    default: 'tenant',
    description:
      'One group per tenant, per API client, per topic (of a tenant) or per action (produce/consume)',
  })
  @IsOptional()
  @IsIn(Object.keys(USAGE_GROUPINGS))
  groupBy: UsageGrouping = 'tenant';

  @ApiPropertyOptional({
    example: 'acme',
    description:
      'Platform admin: only this tenant (default: every tenant). Others may only name their own.',
  })
  @IsOptional()
  @Matches(TENANT_ID, { message: 'tenant must be a tenant id (lowercase letters, digits, "-")' })
  tenant?: string;
}
