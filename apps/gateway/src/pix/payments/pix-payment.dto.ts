import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PIX_KEY_TYPES, type PixKeyType } from '@event-hub/pix-data';

export class PixKeyDto {
  @ApiProperty({ enum: PIX_KEY_TYPES, example: 'EMAIL' })
  @IsIn(PIX_KEY_TYPES)
  type!: PixKeyType;

  @ApiProperty({
    example: 'bruno@example.com',
    description:
      'CPF (11 digits or 123.456.789-09), CNPJ, e-mail (≤ 77), phone (+55…) or EVP (UUID v4)',
  })
  @IsString()
  @MaxLength(77)
  value!: string;
}

export class CreatePixPaymentDto {
  @ApiProperty({ format: 'uuid', description: 'The paying account, of the caller’s tenant' })
  @IsUUID('all')
  payerAccountId!: string;

  @ApiProperty({ type: PixKeyDto, description: 'The receiver’s PIX key, resolved by antifraud' })
  @ValidateNested()
  @Type(() => PixKeyDto)
  receiverKey!: PixKeyDto;

  @ApiProperty({
    example: '150.00',
    description: 'Decimal string, more than zero, at most 2 decimals (never a JSON number)',
  })
  @IsString()
  @Matches(/^(0|[1-9]\d{0,15})(\.\d{1,2})?$/, {
    message: 'amount must be a decimal string with at most 2 decimals, e.g. "150.00"',
  })
  amount!: string;

  @ApiPropertyOptional({ maxLength: 140, example: 'Dinner' })
  @IsOptional()
  @IsString()
  @MaxLength(140)
  description?: string;
}

export class AcceptedPixPaymentDto {
  @ApiProperty({ format: 'uuid' })
  paymentId!: string;

  @ApiProperty({
    example: 'E12345678202612061405aB3dE5fG7hJ',
    description: '`E` + ISPB (8 digits) + yyyyMMddHHmm (UTC) + 11 alphanumerics',
  })
  endToEndId!: string;

  @ApiProperty({ example: '/pix/payments/0b8f8a7e-3c2d-4b55-9d8e-6f1a2b3c4d5e' })
  statusUrl!: string;
}

export class PixPaymentParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  id!: string;
}

export class PixStatementQuery {
  @ApiProperty({
    format: 'uuid',
    description: 'The account whose payments (sent and received) to page',
  })
  @IsUUID('all')
  account!: string;

  @ApiPropertyOptional({ description: 'The `next` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

export class PixTimelineEntryDto {
  @ApiProperty({ enum: ['requested', 'validated', 'settled', 'rejected', 'notified'] })
  stage!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ nullable: true, type: String, description: 'Rejection code, routing key…' })
  detail!: string | null;
}

export class PixPaymentView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() endToEndId!: string;
  @ApiProperty({ format: 'uuid' }) payerAccountId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) receiverAccountId!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Absent until the processor recorded it',
  })
  amount!: string | null;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({
    enum: ['accepted', 'requested', 'validated', 'settled', 'rejected', 'notified'],
    description:
      '`accepted`: the gateway produced the request, the processor has not recorded it yet',
  })
  state!: string;
  @ApiProperty({ nullable: true, type: String, example: 'INSUFFICIENT_FUNDS' })
  rejectionCode!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: [PixTimelineEntryDto] }) timeline!: PixTimelineEntryDto[];
}

export class PixStatementItemView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() endToEndId!: string;
  @ApiProperty({ enum: ['debit', 'credit'] }) direction!: 'debit' | 'credit';
  @ApiProperty() amount!: string;
  @ApiProperty() state!: string;
  @ApiProperty({ nullable: true, type: String }) rejectionCode!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class PixStatementView {
  @ApiProperty({ type: [PixStatementItemView] }) items!: PixStatementItemView[];
  @ApiPropertyOptional({ description: 'Cursor of the next page; absent on the last' })
  next?: string;
}
