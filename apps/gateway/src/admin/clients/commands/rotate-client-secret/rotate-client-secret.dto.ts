import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';

export class RotateClientSecretDto {
  @ApiPropertyOptional({
    default: false,
    description:
      'Also refuse the tokens issued before the rotation (for a leaked secret). By default they ' +
      'stay valid until they expire, so running instances are not cut off by a routine rotation.',
  })
  @IsOptional()
  @IsBoolean()
  revokeIssuedTokens?: boolean;
}
