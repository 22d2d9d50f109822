import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ALL_SCOPES,
  DEFAULT_TENANT_LIMITS,
  type ApiClientView,
  type IssuedClientSecret,
  type Scope,
  type TenantView,
} from '@event-hub/auth';

export class TenantLimitsView {
  @ApiProperty({ example: DEFAULT_TENANT_LIMITS.maxTopics })
  maxTopics!: number;
  @ApiProperty({ example: DEFAULT_TENANT_LIMITS.maxPartitionsPerTopic })
  maxPartitionsPerTopic!: number;
  @ApiProperty({ example: DEFAULT_TENANT_LIMITS.maxRetentionMs })
  maxRetentionMs!: number;
  @ApiProperty({ example: DEFAULT_TENANT_LIMITS.produceRecordsPerSecond })
  produceRecordsPerSecond!: number;
  @ApiProperty({ example: DEFAULT_TENANT_LIMITS.produceBytesPerSecond })
  produceBytesPerSecond!: number;
  @ApiProperty({ example: DEFAULT_TENANT_LIMITS.consumeRecordsPerSecond })
  consumeRecordsPerSecond!: number;
  @ApiProperty({ example: DEFAULT_TENANT_LIMITS.consumeBytesPerSecond })
  consumeBytesPerSecond!: number;
}

export class TenantResponse {
  @ApiProperty({ example: 'acme' })
  id!: string;
  @ApiProperty({ example: 'ACME Corp' })
  name!: string;
  @ApiProperty({ example: false })
  disabled!: boolean;
  @ApiProperty({ type: TenantLimitsView })
  limits!: TenantLimitsView;
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  static of(tenant: TenantView): TenantResponse {
    return { ...tenant, limits: { ...tenant.limits }, createdAt: tenant.createdAt.toISOString() };
  }
}

export class TenantListResponse {
  @ApiProperty({ type: [TenantResponse] })
  items!: TenantResponse[];
}

export class ApiClientResponse {
  @ApiProperty({ example: 'ehc_3q2v8yL5k0c1mZ9xW4tQ7A' })
  clientId!: string;
  @ApiProperty({ example: 'acme' })
  tenantId!: string;
  @ApiProperty({ example: 'orders-service' })
  name!: string;
  @ApiProperty({ enum: ALL_SCOPES, isArray: true, example: ['events:produce', 'events:consume'] })
  scopes!: Scope[];
  @ApiProperty({ enum: ['active', 'revoked'] })
  status!: 'active' | 'revoked';
  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  rotatedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  revokedAt!: string | null;

  static of(client: ApiClientView): ApiClientResponse {
    return {
      ...client,
      scopes: [...client.scopes],
      createdAt: client.createdAt.toISOString(),
      rotatedAt: client.rotatedAt?.toISOString() ?? null,
      revokedAt: client.revokedAt?.toISOString() ?? null,
    };
  }
}

export class ApiClientListResponse {
  @ApiProperty({ type: [ApiClientResponse] })
  items!: ApiClientResponse[];
}

/** A client with its secret: the only answer that ever contains the secret. */
export class ApiClientSecretResponse extends ApiClientResponse {
  @ApiProperty({
    example: 'ehs_Jx0m1…',
    description: 'Shown once: only a slow hash of it is stored. Keep it in a secret store.',
  })
  clientSecret!: string;

  @ApiPropertyOptional({ example: 'Store the secret now: it cannot be shown again.' })
  note?: string;

  static issued({ client, clientSecret }: IssuedClientSecret): ApiClientSecretResponse {
    return {
      ...ApiClientResponse.of(client),
      clientSecret,
      note: 'Store the secret now: it cannot be shown again.',
    };
  }
}
