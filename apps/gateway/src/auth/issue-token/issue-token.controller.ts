import {
  Body,
  Controller,
  Headers,
  HttpCode,
  Logger,
  Post,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTooManyRequestsResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AuthMetrics,
  AuthUnavailableError,
  OAuthError,
  parseTokenRequest,
  Public,
  TokenIssuer,
  TokenRequestThrottledError,
  type TokenResponse,
} from '@event-hub/auth';
import { OAuthErrorFilter } from './oauth-error.filter';
import { OAuthErrorView, TokenRequestBody, TokenResponseView } from './token.views';

@ApiTags('auth')
@ApiExtraModels(TokenRequestBody)
@Public()
@UseFilters(OAuthErrorFilter)
@Controller('oauth')
export class IssueTokenController {
  private readonly logger = new Logger(IssueTokenController.name);

  constructor(
    private readonly issuer: TokenIssuer,
    private readonly metrics: AuthMetrics,
  ) {}

  @Post('token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'OAuth2 client-credentials grant: an access token for an API client',
    description:
      'RFC 6749 §4.4. Authenticate with HTTP Basic (`Authorization: Basic base64(client_id:client_secret)`) ' +
      'or with client_id and client_secret in the body, not both. Errors use the RFC shape ' +
      '`{error, error_description}`.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenRequestBody })
  @ApiOkResponse({ type: TokenResponseView, description: 'Sent with Cache-Control: no-store' })
  @ApiBadRequestResponse({
    type: OAuthErrorView,
    description:
      'invalid_request, unsupported_grant_type, invalid_scope, or invalid_client with body credentials',
  })
  @ApiServiceUnavailableResponse({
    description: 'The client registry (Postgres) is unavailable (problem details, Retry-After)',
  })
  @ApiTooManyRequestsResponse({
    description:
      'Too many failed requests from this client id or address (AUTH_TOKEN_MAX_FAILURES_*): problem ' +
      'details `AUTH.TOO_MANY_FAILED_ATTEMPTS` with `error: "too_many_attempts"`, and Retry-After. ' +
      'A client whose secret was verified recently is still served.',
  })
  @ApiUnauthorizedResponse({
    type: OAuthErrorView,
    description: 'invalid_client with HTTP Basic or without credentials (WWW-Authenticate: Basic)',
  })
  // The body is read as-is (typed as a plain object, so the validation pipe leaves it alone):
  // OAuth parameter rules are not DTO rules, and the errors must be OAuth errors.
  async issue(
    @Body() body: Record<string, unknown>,
    @Headers('authorization') authorization: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponse> {
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    try {
      const tokenRequest = parseTokenRequest(body, authorization);
      const issued = await this.issuer.issue(tokenRequest, request.ip);
      this.metrics.tokensIssued.inc({ auth_method: tokenRequest.authMethod });
      return issued.response;
    } catch (error) {
      if (error instanceof OAuthError) {
        this.metrics.failures.inc({ stage: 'token', reason: error.reason });
      }
      if (error instanceof TokenRequestThrottledError) {
        this.metrics.failures.inc({ stage: 'token', reason: 'throttled' });
        void reply.header('retry-after', String(error.retryAfterSeconds));
        throw error.toProblem();
      }
      if (error instanceof AuthUnavailableError) {
        this.metrics.failures.inc({ stage: 'token', reason: 'unavailable' });
        this.logger.warn({ err: error.cause }, error.message);
        void reply.header('retry-after', '5');
        throw error.toProblem();
      }
      throw error;
    }
  }
}
