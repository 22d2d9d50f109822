import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { OAuthError } from '@event-hub/auth';

/** The token endpoint answers errors in RFC 6749 §5.2's shape, not as problem details. */
@Catch(OAuthError)
export class OAuthErrorFilter implements ExceptionFilter {
  catch(error: OAuthError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    void reply
      .status(error.status)
      .header('content-type', 'application/json; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('pragma', 'no-cache');
    if (error.challenge) void reply.header('www-authenticate', error.challenge);
    void reply.send(error.toJSON());
  }
}
