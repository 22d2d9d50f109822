import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, type Observable } from 'rxjs';
import { AUTH_ADMIN_HTTP_ERRORS, AuthAdminError } from '@event-hub/auth';
import { ProblemException } from '@event-hub/service-runtime';

/** Turns tenant and client administration errors into problem details with their stable code. */
@Injectable()
export class AdminErrorsInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((error: unknown) => {
        if (!(error instanceof AuthAdminError)) throw error;
        throw adminProblem(error);
      }),
    );
  }
}

export function adminProblem(error: AuthAdminError): ProblemException {
  const { status, title } = AUTH_ADMIN_HTTP_ERRORS[error.code];
  const errors =
    status === 400 && error.field
      ? { errors: [{ field: `body.${error.field}`, message: error.message }] }
      : {};
  return new ProblemException(status, error.code, title, error.message, errors);
}
