import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

/** `:userId` in a path; anything but a UUID is a 400 naming `params.userId`. */
export class UserIdParams {
  @ApiProperty({ format: 'uuid', example: '3f0c6a8e-2b1d-4c5e-9f7a-1b2c3d4e5f60' })
  @IsUUID('all')
  userId!: string;
}
