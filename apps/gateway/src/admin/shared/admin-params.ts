import { Injectable, Param, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { isWellFormedClientId, TENANT_ID_PATTERN } from '@event-hub/auth';
import { ProblemException } from '@event-hub/service-runtime';

/**
 * Path parameters are checked by their own pipes rather than a params DTO (see UserIdPipe: the
 * shared validation pipe names fields from per-instance state, so one DTO per route, the body).
 */
@Injectable()
export class TenantIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!TENANT_ID_PATTERN.test(value)) {
      throw ProblemException.validation([
        { field: 'params.tenantId', message: 'tenantId must match ^[a-z0-9][a-z0-9-]{1,62}$' },
      ]);
    }
    return value;
  }
}

@Injectable()
export class ClientIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isWellFormedClientId(value)) {
      throw ProblemException.validation([
        { field: 'params.clientId', message: 'clientId must be 1-64 letters, digits, _ or -' },
      ]);
    }
    return value;
  }
}

export const TenantIdParam = (): ParameterDecorator => Param('tenantId', TenantIdPipe);
export const ClientIdParam = (): ParameterDecorator => Param('clientId', ClientIdPipe);

export const ApiTenantIdParam = (): MethodDecorator =>
  ApiParam({ name: 'tenantId', example: 'acme', schema: { pattern: '^[a-z0-9][a-z0-9-]{1,62}$' } });
export const ApiClientIdParam = (): MethodDecorator =>
  ApiParam({ name: 'clientId', example: 'ehc_3q2v8yL5k0c1mZ9xW4tQ7A' });
