import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CommandStatus } from '@event-hub/contracts';

export class CommandErrorView {
  @ApiProperty({ example: 'USER.EMAIL_TAKEN', description: 'Stable machine-readable code' })
  code!: string;

  @ApiProperty({ example: 'A user with this email already exists' })
  message!: string;
}

export class CommandStatusView {
  @ApiProperty({ format: 'uuid', example: '0b8f8a7e-3c2d-4b55-9d8e-6f1a2b3c4d5e' })
  correlationId!: string;

  @ApiProperty({ enum: ['PENDING', 'COMPLETED', 'FAILED'], example: 'COMPLETED' })
  status!: CommandStatus;

  @ApiProperty({ example: 'users.create_user', nullable: true, type: 'string' })
  command!: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { userId: '3f0c6a8e-2b1d-4c5e-9f7a-1b2c3d4e5f60' },
    description: 'What the processor reports for a COMPLETED command',
  })
  result?: Record<string, unknown>;

  @ApiPropertyOptional({ type: CommandErrorView, description: 'Why a FAILED command failed' })
  error?: CommandErrorView;

  @ApiProperty({ format: 'date-time', example: '2025-01-15T12:00:00.000Z' })
  acceptedAt!: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2025-01-15T12:00:00.042Z' })
  completedAt?: string;
}
