import { ApiProperty } from '@nestjs/swagger';
import { ALL_SCOPES } from '@event-hub/auth';

/** RFC 6749 §4.4.2 parameters, sent as a form (or as JSON). */
export class TokenRequestBody {
  @ApiProperty({ enum: ['client_credentials'], example: 'client_credentials' })
  grant_type!: string;

  @ApiProperty({
    required: false,
    example: 'ehc_3q2v8yL5k0c1mZ9xW4tQ7A',
    description: 'With client_secret, when not using HTTP Basic',
  })
  client_id?: string;

  @ApiProperty({ required: false, example: 'ehs_…', description: 'When not using HTTP Basic' })
  client_secret?: string;

  @ApiProperty({
    required: false,
    example: 'events:produce events:consume',
    description: `Space-separated subset of the client's scopes (${ALL_SCOPES.join(', ')}); all of them when omitted`,
  })
  scope?: string;
}

export class TokenResponseView {
  @ApiProperty({ description: 'An RS256 JWT; verify it with /.well-known/jwks.json' })
  access_token!: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type!: 'Bearer';

  @ApiProperty({ example: 3600, description: 'Seconds until the token expires' })
  expires_in!: number;

  @ApiProperty({ example: 'events:produce events:consume' })
  scope!: string;
}

export class OAuthErrorView {
  @ApiProperty({
    enum: ['invalid_request', 'invalid_client', 'unsupported_grant_type', 'invalid_scope'],
    example: 'invalid_client',
  })
  error!: string;

  @ApiProperty({ example: 'Client authentication failed' })
  error_description!: string;
}
