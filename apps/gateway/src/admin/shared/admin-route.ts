import { applyDecorators, Controller, UseInterceptors } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequireScopes, SCOPES } from '@event-hub/auth';
import { AdminErrorsInterceptor } from './admin-errors.interceptor';

/** A controller under /admin: the `admin` scope, admin error mapping, the `admin` Swagger tag. */
export function AdminController(path: string): ClassDecorator {
  return applyDecorators(
    ApiTags('admin'),
    RequireScopes(SCOPES.admin),
    UseInterceptors(AdminErrorsInterceptor),
    Controller(`admin/${path}`),
  );
}
