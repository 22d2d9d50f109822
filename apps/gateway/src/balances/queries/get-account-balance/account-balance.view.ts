import { ApiProperty } from '@nestjs/swagger';

export class AccountBalanceView {
  @ApiProperty({ example: 'acc-7f3a9c' })
  accountId!: string;

  @ApiProperty({ example: '150.00', description: 'Exact decimal string (two fraction digits)' })
  balance!: string;

  @ApiProperty({ example: 42, description: 'Monotonic per account; compare with `minVersion`' })
  version!: number;

  @ApiProperty({
    format: 'date-time',
    example: '2026-12-06T12:00:00.000Z',
    description: 'When the balance changed in the ledger (the record’s updatedAt)',
  })
  asOf!: string;
}

/** Seed 003's shape (`GET /saldo/{cliente_id}`), kept for its users. */
export class SaldoView {
  @ApiProperty({ example: 'acc-7f3a9c' })
  cliente_id!: string;

  @ApiProperty({ example: '150.00', description: 'Exact decimal string (seed 003 had a float)' })
  saldo!: string;

  @ApiProperty({ format: 'date-time', example: '2026-12-06T12:00:00.000Z' })
  timestamp!: string;
}
