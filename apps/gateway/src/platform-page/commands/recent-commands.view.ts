import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CommandStatus } from '@event-hub/contracts';
import { CommandErrorView } from '../../status/queries/get-command-status/command-status.view';

export class RecentCommandView {
  @ApiProperty({ format: 'uuid', example: '0b8f8a7e-3c2d-4b55-9d8e-6f1a2b3c4d5e' })
  correlationId!: string;

  @ApiProperty({ example: 'acme', nullable: true, type: 'string' })
  tenantId!: string | null;

  @ApiProperty({ example: 'users.create_user', nullable: true, type: 'string' })
  command!: string | null;

  @ApiProperty({ enum: ['PENDING', 'COMPLETED', 'FAILED'], example: 'COMPLETED' })
  status!: CommandStatus;

  @ApiPropertyOptional({ type: CommandErrorView, description: 'Why a FAILED command failed' })
  error?: CommandErrorView;

  @ApiProperty({ format: 'date-time', example: '2025-01-15T12:00:00.000Z' })
  acceptedAt!: string;

  @ApiPropertyOptional({ format: 'date-time', example: '2025-01-15T12:00:00.042Z' })
  completedAt?: string;
}

export class RecentCommandsView {
  @ApiProperty({
    enum: ['tenant', 'all-tenants'],
    description:
      "`tenant`: the caller's tenant only; `all-tenants` for a token with the admin scope",
  })
  scope!: 'tenant' | 'all-tenants';

  @ApiProperty({ type: [RecentCommandView], description: 'Newest first' })
  commands!: RecentCommandView[];
}
