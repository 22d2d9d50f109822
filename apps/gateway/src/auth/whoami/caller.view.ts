import { ApiProperty } from '@nestjs/swagger';
import { ALL_SCOPES, type AuthPrincipal, type Scope } from '@event-hub/auth';

/** Who a verified token says the caller is: what every other route acts on. */
export class CallerView {
  @ApiProperty({
    example: 'acme',
    description: 'Everything the caller sees and does is scoped to it',
  })
  tenantId!: string;

  @ApiProperty({
    example: 'ehc_3q2v8yL5k0c1mZ9xW4tQ7A',
    description: 'The API client the token was issued to',
  })
  clientId!: string;

  @ApiProperty({
    enum: [...ALL_SCOPES],
    isArray: true,
    example: ['events:produce', 'events:consume'],
  })
  scopes!: Scope[];

  static of(principal: AuthPrincipal): CallerView {
    return Object.assign(new CallerView(), {
      tenantId: principal.tenantId,
      clientId: principal.clientId,
      scopes: [...principal.scopes],
    });
  }
}
