import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AUTH_SETTINGS, Public, type AuthSettings, type PublicJwk } from '@event-hub/auth';

@ApiTags('auth')
@Public()
@Controller('.well-known')
export class JwksController {
  private readonly jwks: { keys: PublicJwk[] };

  constructor(@Inject(AUTH_SETTINGS) settings: AuthSettings) {
    this.jwks = settings.keyring.jwks();
  }

  @Get('jwks.json')
  // Verifiers may cache it; a rotation publishes the new key alongside the previous one.
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'The public keys our access tokens are signed with (RFC 7517 JWKS)' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: { keys: { type: 'array', items: { type: 'object' } } },
      example: {
        keys: [
          {
            kty: 'RSA',
            n: '0vx7agoebGcQSuu…',
            e: 'AQAB',
            kid: 'NzbLsXh8…',
            use: 'sig',
            alg: 'RS256',
          },
        ],
      },
    },
  })
  get(): { keys: PublicJwk[] } {
    return this.jwks;
  }
}
