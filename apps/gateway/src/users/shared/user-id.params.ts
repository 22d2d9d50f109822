import { applyDecorators, Injectable, Param, type PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import { ProblemException } from '@event-hub/service-runtime';

/** `:userId` in a path; anything but a UUID is a 400 naming `params.userId`. */
@Injectable()
export class UserIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUUID(value, 'all')) {
      throw ProblemException.validation([
        { field: 'params.userId', message: 'userId must be a UUID' },
      ]);
    }
    return value;
  }
}

/**
 * The validated `:userId`, a string checked by its own pipe rather than a params class: the shared
 * ProblemValidationPipe keeps the source of the argument it last started on (`body`, `params`) in
 * instance state, so when it validates two arguments of one request at once it may name a bad
 * body field `params.x`. Nest starts on arguments last-to-first, so command handlers declare the
 * body FIRST; then the body is the last argument started and its errors are named right, and the
 * user id never depends on that state.
 */
export const UserIdParam = (): ParameterDecorator => Param('userId', UserIdPipe);

export const ApiUserIdParam = (): MethodDecorator =>
  applyDecorators(
    ApiParam({ name: 'userId', format: 'uuid', example: '3f0c6a8e-2b1d-4c5e-9f7a-1b2c3d4e5f60' }),
  );
