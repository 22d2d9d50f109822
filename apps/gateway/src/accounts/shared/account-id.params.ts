import { applyDecorators, Injectable, Param, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import { ProblemException } from '@event-hub/service-runtime';

/** `:id` of an account; anything but a UUID is a 400 naming `params.id`. */
@Injectable()
export class AccountIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUUID(value, 'all')) {
      throw ProblemException.validation([{ field: 'params.id', message: 'id must be a UUID' }]);
    }
    return value;
  }
}

/**
 * The validated `:id`, by its own pipe rather than a params class, so a bad body field is named
 * right (see UserIdParam: command routes declare the body first).
 */
export const AccountIdParam = (): ParameterDecorator => Param('id', AccountIdPipe);

export const ApiAccountIdParam = (): MethodDecorator =>
  applyDecorators(
    ApiParam({ name: 'id', format: 'uuid', example: '5b0e7a52-8d4f-4b8e-9f3c-2a1b0c9d8e7f' }),
  );
