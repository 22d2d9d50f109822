import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { TENANT_ID } from '../../shared/billing-params';

export const MONTH = /^(?:19[7-9][0-9]|[2-9][0-9]{3})-(?:0[1-9]|1[0-2])$/;

export class GetInvoicePathParams {
  @ApiProperty({ example: 'acme' })
  @Matches(TENANT_ID, { message: 'tenant must be a tenant id (lowercase letters, digits, "-")' })
  tenant!: string;
}

export class GetInvoiceParams {
  @ApiPropertyOptional({
    example: '2026-11',
    description: 'Calendar month in UTC (YYYY-MM); default: the current month',
  })
  @IsOptional()
  @Matches(MONTH, { message: 'month must be a month as YYYY-MM (1970-01 or later)' })
  month?: string;
}

/** The current calendar month in UTC, as YYYY-MM. */
export function currentMonth(now = new Date()): string {
  return now.toISOString().slice(0, 7);
}

/** [first instant of the month, first instant of the next) in UTC. */
export function monthPeriod(month: string): { from: Date; to: Date } {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return {
    from: new Date(Date.UTC(year, monthNumber - 1, 1)),
    to: new Date(Date.UTC(year, monthNumber, 1)),
  };
}
