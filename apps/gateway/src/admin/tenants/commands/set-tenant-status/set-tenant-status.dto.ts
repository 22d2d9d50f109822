import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

export class SetTenantStatusDto {
  @ApiProperty({
    example: true,
    description: 'A disabled tenant gets no tokens, and its issued tokens are refused',
  })
  @IsBoolean()
  disabled!: boolean;
}
