import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { COMPATIBILITY_MODES, type CompatibilityMode } from '../../registry/schema-subject.entity';

export class SetCompatibilityDto {
  @ApiProperty({
    enum: COMPATIBILITY_MODES,
    example: 'BACKWARD',
    description: 'BACKWARD: a new version must read every value of the latest; NONE: no check',
  })
  @IsIn(COMPATIBILITY_MODES)
  compatibility!: CompatibilityMode;
}
