import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** A JSON Schema as stored: an object, or `true`/`false` inside another schema. */
export type JsonSchema = boolean | JsonSchemaObject;
export interface JsonSchemaObject {
  [keyword: string]: unknown;
}

export const isSchemaObject = (value: unknown): value is JsonSchemaObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The dialect is ajv's default: JSON Schema draft-07 (with ajv-formats). A schema declaring another
 * `$schema` (2019-09, 2020-12) is refused, as are keywords ajv does not know (`strictSchema`),
 * because a typo such as `maxLenght` would otherwise silently constrain nothing. Each schema gets
 * an ajv instance of its own: tenants' `$id`s must never meet in one shared instance.
 */
export function newSchemaAjv(options: { strict?: boolean; validateSchema?: boolean } = {}): Ajv {
  return addFormats(
    new Ajv({
      allErrors: true,
      strictSchema: options.strict ?? true,
      strictTypes: false,
      strictTuples: false,
      strictRequired: false,
      validateSchema: options.validateSchema ?? true,
      // Remote $refs are never fetched: a subject is a self-contained schema.
      loadSchema: undefined,
    }),
  );
}

export class SchemaCompileError extends Error {}

/**
 * Checks schemas against the draft-07 meta-schema. Shared, since it only ever holds the
 * meta-schema: compiling that on every fresh instance is what made a compile cost ~60 ms.
 */
let metaSchemaChecker: Ajv | undefined;

/** Compiles `schema` as a registered subject version would be, or throws naming the problem. */
export function compileSchema(schema: JsonSchemaObject): ValidateFunction {
  try {
    const checker = (metaSchemaChecker ??= newSchemaAjv());
    if (!checker.validateSchema(schema)) {
      throw new SchemaCompileError(`schema is invalid: ${checker.errorsText(checker.errors)}`);
    }
    return newSchemaAjv({ validateSchema: false }).compile(schema);
  } catch (error) {
    if (error instanceof SchemaCompileError) throw error;
    throw new SchemaCompileError(error instanceof Error ? error.message : String(error));
  }
}

/** JSON with object keys sorted at every level: identical schemas serialize identically. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isSchemaObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const deepEqual = (a: unknown, b: unknown): boolean => canonicalJson(a) === canonicalJson(b);
