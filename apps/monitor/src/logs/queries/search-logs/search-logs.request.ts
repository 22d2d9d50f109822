import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  Validate,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';

/** Elasticsearch's default `index.max_result_window`: deeper paging is refused by the cluster. */
export const MAX_RESULT_WINDOW = 10000;
export const MAX_PAGE_SIZE = 100;

/** Dates Elasticsearch's `strict_date_optional_time` and `Date.parse` both read the same way. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const ISO_MESSAGE = 'must be an ISO-8601 date or date-time, e.g. 2025-01-31T12:00:00Z';

@ValidatorConstraint({ name: 'notBeforeFrom' })
class NotBeforeFrom implements ValidatorConstraintInterface {
  validate(to: unknown, args: ValidationArguments): boolean {
    const from = (args.object as SearchLogsRequest).from;
    if (typeof from !== 'string' || typeof to !== 'string') return true;
    const [start, end] = [Date.parse(from), Date.parse(to)];
    return Number.isNaN(start) || Number.isNaN(end) || start <= end;
  }

  defaultMessage(): string {
    return 'must not be before from';
  }
}

@ValidatorConstraint({ name: 'withinResultWindow' })
class WithinResultWindow implements ValidatorConstraintInterface {
  validate(page: unknown, args: ValidationArguments): boolean {
    const { pageSize } = args.object as SearchLogsRequest;
    if (typeof page !== 'number' || typeof pageSize !== 'number') return true;
    return page * pageSize <= MAX_RESULT_WINDOW;
  }

  defaultMessage(): string {
    return `page × pageSize must not exceed ${MAX_RESULT_WINDOW}; narrow the search with from/to instead`;
  }
}

const term = (description: string, example: string): PropertyDecorator => {
  const decorators = [
    ApiPropertyOptional({ description, example, maxLength: 256 }),
    IsOptional(),
    IsString(),
    IsNotEmpty(),
    MaxLength(256),
  ];
  return (target, key) => decorators.forEach((d) => d(target, key));
};

/** Query parameters of `GET /logs`. */
export class SearchLogsRequest {
  @ApiPropertyOptional({
    description:
      'Full-text search over the record text, payload values, key and event fields ' +
      '(simple query string: words must all match, "a phrase", -exclude, a | b)',
    example: 'ana@example.com',
    maxLength: 500,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  q?: string;

  @term('Exact topic', 'user_events')
  topic?: string;

  @term('Exact event type', 'users.create_user')
  eventType?: string;

  @term(
    'Correlation id (envelope field or correlation-id header)',
    '2f0c1d4e-6b2a-4a57-9d3e-5b8e0c1a7f10',
  )
  correlationId?: string;

  @term('Exact tenant id', 'acme')
  tenantId?: string;

  @ApiPropertyOptional({
    description: 'Records at or after this instant (record time)',
    example: '2025-01-31T00:00:00Z',
  })
  @IsOptional()
  @Matches(ISO_INSTANT, { message: ISO_MESSAGE })
  @IsISO8601({ strict: true }, { message: ISO_MESSAGE })
  from?: string;

  @ApiPropertyOptional({
    description: 'Records at or before this instant; not before `from`',
    example: '2025-01-31T23:59:59Z',
  })
  @IsOptional()
  @Matches(ISO_INSTANT, { message: ISO_MESSAGE })
  @IsISO8601({ strict: true }, { message: ISO_MESSAGE })
  @Validate(NotBeforeFrom)
  to?: string;

  @ApiPropertyOptional({ description: 'Page number, from 1', default: 1, minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Validate(WithinResultWindow)
  page: number = 1;

  @ApiPropertyOptional({
    description: 'Records per page',
    default: 20,
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize: number = 20;
}
