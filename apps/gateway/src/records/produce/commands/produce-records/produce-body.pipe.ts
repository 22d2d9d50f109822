import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ProblemValidationPipe } from '@event-hub/service-runtime';
import { isHeaderMap, ProduceRecordsDto } from './produce-records.dto';

const RECORD_FIELDS = new Set(['key', 'value', 'headers', 'partition']);

/**
 * Validates the produce body. class-validator builds and checks an instance per record (with
 * 1,000 records a request, a large share of the gateway's CPU per produced record), so a body
 * already of the plain shape every client sends is taken as it is: {@link isPlainProduceBody}
 * accepts only bodies the DTO accepts, and anything else — every refusal included — goes through
 * the same validation pipe as every other route, which names what is wrong.
 *
 * The route's parameter is typed `unknown` so the global pipe leaves it to this one.
 */
@Injectable()
export class ProduceBodyPipe implements PipeTransform<unknown, Promise<ProduceRecordsDto>> {
  private readonly full = new ProblemValidationPipe();

  async transform(value: unknown, metadata: ArgumentMetadata): Promise<ProduceRecordsDto> {
    if (isPlainProduceBody(value)) return value;
    return (await this.full.transform(value, {
      ...metadata,
      metatype: ProduceRecordsDto,
    })) as ProduceRecordsDto;
  }
}

/**
 * A batch `{records: [...]}` or a single record, each record with nothing but the DTO's fields,
 * each of its type: `key` a string, `value` any JSON but null, `headers` a header map,
 * `partition` an integer ≥ 0. Stricter than the DTO where it is cheaper to be (a `null` optional
 * field, a batch with single-record fields beside it): those take the full validation.
 */
export function isPlainProduceBody(body: unknown): body is ProduceRecordsDto {
  if (!isPlainObject(body)) return false;
  if (!('records' in body)) return isPlainRecord(body);
  const { records } = body;
  if (Object.keys(body).length !== 1 || !Array.isArray(records) || records.length === 0) {
    return false;
  }
  for (const record of records as unknown[]) if (!isPlainRecord(record)) return false;
  return true;
}

function isPlainRecord(record: unknown): boolean {
  if (!isPlainObject(record)) return false;
  for (const field in record) if (!RECORD_FIELDS.has(field)) return false;
  const { key, value, headers, partition } = record as Record<string, unknown>;
  return (
    (key === undefined || typeof key === 'string') &&
    value !== undefined &&
    value !== null &&
    (headers === undefined || isHeaderMap(headers)) &&
    (partition === undefined || (Number.isInteger(partition) && (partition as number) >= 0))
  );
}

/** What JSON.parse makes of an object: no array, no prototype but Object's. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}
