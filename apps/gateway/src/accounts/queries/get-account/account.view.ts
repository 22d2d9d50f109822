import { ApiProperty } from '@nestjs/swagger';
import { PIX_KEY_TYPES, type PixKeyType } from '@event-hub/pix-data';

export class AccountUserView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Ana Souza' })
  name!: string;
}

export class AccountPixKeyView {
  @ApiProperty({ enum: PIX_KEY_TYPES })
  type!: PixKeyType;

  @ApiProperty({ example: 'ana@example.com', description: 'The stored (normalised) form' })
  value!: string;

  @ApiProperty({ description: 'A blocked key fails antifraud' })
  blocked!: boolean;
}

export class AccountView {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ type: AccountUserView })
  user!: AccountUserView;

  @ApiProperty({ type: [AccountPixKeyView] })
  keys!: AccountPixKeyView[];

  @ApiProperty({ example: '150.00', description: 'Decimal string, read from Postgres' })
  balance!: string;

  @ApiProperty({
    example: 3,
    description: 'Incremented with every balance change; the account_balances record’s version',
  })
  version!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({
    format: 'date-time',
    type: String,
    nullable: true,
    description: 'When the account was closed (POST /accounts/{id}/close); null while open',
  })
  closedAt!: string | null;
}
