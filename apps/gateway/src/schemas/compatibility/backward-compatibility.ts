import {
  deepEqual,
  isSchemaObject,
  newSchemaAjv,
  type JsonSchema,
  type JsonSchemaObject,
} from '../shared/json-schema';

/**
 * BACKWARD compatibility: a consumer reading with the NEW schema can read every value written with
 * the OLD one, i.e. every value the old schema accepts, the new one accepts too. The checker is a
 * structural proof over the subset of draft-07 we understand; whatever it cannot prove is reported
 * ("cannot verify …"), never assumed compatible. Returns the reasons, empty when compatible.
 */
export function backwardIncompatibilities(oldSchema: JsonSchema, newSchema: JsonSchema): string[] {
  return new BackwardChecker(oldSchema, newSchema).check(oldSchema, newSchema, '');
}

/** Keywords that only annotate: they never change which values a schema accepts. */
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'readOnly',
  'writeOnly',
  'deprecated',
  '$defs',
  'definitions',
]);

/** Keywords of the NEW schema the checker can prove something about. */
const SUPPORTED = new Set([
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minProperties',
  'maxProperties',
  '$ref',
  'allOf',
  'anyOf',
]);

/**
 * Keywords of the OLD schema that change what its other keywords mean (which properties
 * `additionalProperties` covers, which items `additionalItems` covers): ignoring them could make
 * the old schema look narrower than it is. Every other draft-07 keyword only adds a condition, so
 * leaving it out of the old schema can only make the proof harder, never wrong.
 */
const OLD_CONTEXTUAL = ['patternProperties', 'additionalItems'];

type TypeName = 'null' | 'boolean' | 'object' | 'array' | 'number' | 'integer' | 'string';
const ALL_TYPES: TypeName[] = ['null', 'boolean', 'object', 'array', 'number', 'string'];

/** Comparisons at most per check: anyOf against anyOf multiplies, and schemas come from tenants. */
const MAX_STEPS = 20_000;

interface Bound {
  value: number;
  exclusive: boolean;
}

class BackwardChecker {
  /** Pairs being compared right now: meeting one again through a $ref cycle proves nothing new. */
  private readonly inProgress = new Map<object, Set<object>>();
  private steps = 0;

  constructor(
    private readonly oldRoot: JsonSchema,
    private readonly newRoot: JsonSchema,
  ) {}

  check(oldSchema: JsonSchema, newSchema: JsonSchema, path: string): string[] {
    if (++this.steps > MAX_STEPS) return [`cannot verify \`${at(path)}\`: schemas too complex`];
    if (newSchema === true || oldSchema === false) return [];
    if (isSchemaObject(newSchema) && acceptsEverything(newSchema)) return [];
    if (deepEqual(oldSchema, newSchema) && !hasRef(oldSchema)) return [];
    if (newSchema === false) return [`\`${at(path)}\` now rejects every value`];
    const old: JsonSchemaObject = oldSchema === true ? {} : oldSchema;

    const seen = this.inProgress.get(old);
    if (seen?.has(newSchema)) return [];
    const pairs = seen ?? new Set<object>();
    this.inProgress.set(old, pairs);
    pairs.add(newSchema);
    try {
      return this.checkObjects(old, newSchema, path);
    } finally {
      pairs.delete(newSchema);
    }
  }

  private checkObjects(old: JsonSchemaObject, neu: JsonSchemaObject, path: string): string[] {
    // The old side first: a value of a disjunction is a value of one of its branches…
    const oldBranches = pureDisjunction(old);
    if (oldBranches) {
      return oldBranches.flatMap((branch) => this.check(branch as JsonSchema, neu, path));
    }
    // …a $ref stands for its target (its siblings only narrow the old schema further)…
    if (typeof old['$ref'] === 'string') {
      const target = resolveRef(this.oldRoot, old['$ref']);
      if (target === undefined) return [`cannot verify \`$ref\` ${old['$ref']} at \`${at(path)}\``];
      return this.check(target, neu, path);
    }
    // …and a value of a conjunction is a value of each conjunct: one contained in NEW suffices.
    if (Array.isArray(old['allOf'])) {
      const { allOf, ...rest } = old;
      const reasons = this.check(rest, neu, path);
      if (reasons.length === 0) return [];
      const branchProves = (allOf as JsonSchema[]).some(
        (b) => this.check(b, neu, path).length === 0,
      );
      return branchProves ? [] : reasons;
    }

    // The new side is a conjunction of its $ref, each allOf branch, its anyOf and the rest.
    const reasons: string[] = [];
    const rest: JsonSchemaObject = { ...neu };
    if ('$ref' in neu) {
      delete rest['$ref'];
      const target =
        typeof neu['$ref'] === 'string' ? resolveRef(this.newRoot, neu['$ref']) : undefined;
      if (target === undefined)
        reasons.push(`cannot verify \`$ref\` ${String(neu['$ref'])} at \`${at(path)}\``);
      else reasons.push(...this.check(old, target, path));
    }
    if (Array.isArray(neu['allOf'])) {
      delete rest['allOf'];
      for (const branch of neu['allOf'] as JsonSchema[])
        reasons.push(...this.check(old, branch, path));
    }
    if (Array.isArray(neu['anyOf'])) {
      delete rest['anyOf'];
      const branches = neu['anyOf'] as JsonSchema[];
      if (!branches.some((b) => this.check(old, b, path).length === 0)) {
        reasons.push(
          `cannot verify that every value of \`${at(path)}\` matches an alternative of anyOf`,
        );
      }
    }
    return [...reasons, ...this.checkCore(old, rest, path)];
  }

  private checkCore(old: JsonSchemaObject, neu: JsonSchemaObject, path: string): string[] {
    const unsupported = Object.keys(neu).filter((k) => !SUPPORTED.has(k) && !ANNOTATIONS.has(k));
    const contextual = OLD_CONTEXTUAL.filter((k) => k in old);
    const reasons = [
      ...unsupported.map((k) => `cannot verify \`${k}\` at \`${at(path)}\``),
      ...contextual.map((k) => `cannot verify \`${k}\` of the previous version at \`${at(path)}\``),
    ];
    if (reasons.length > 0) return reasons;

    const oldValues = finiteValues(old);
    if (oldValues) return this.checkValues(oldValues, neu, path);
    if ('enum' in neu || 'const' in neu) {
      return [`\`${at(path)}\` restricted to ${JSON.stringify(neu['enum'] ?? [neu['const']])}`];
    }

    const oldTypes = typesOf(old);
    const newTypes = typesOf(neu);
    const kept = oldTypes.filter((t) => admits(newTypes, t));
    if (kept.length < oldTypes.length) {
      reasons.push(
        `type of \`${at(path)}\` narrowed from ${formatTypes(old['type'])} to ${formatTypes(neu['type'])}`,
      );
    }
    if (kept.includes('string')) reasons.push(...checkString(old, neu, path));
    if (kept.includes('number') || kept.includes('integer'))
      reasons.push(...checkNumber(old, neu, path));
    if (kept.includes('array')) reasons.push(...this.checkArray(old, neu, path));
    if (kept.includes('object')) reasons.push(...this.checkObject(old, neu, path));
    return reasons;
  }

  /** The old schema admits only these values: the new one must accept each (asked of ajv itself). */
  private checkValues(values: unknown[], neu: JsonSchemaObject, path: string): string[] {
    const narrowed = (value: unknown) =>
      `enum of \`${at(path)}\` narrowed: ${JSON.stringify(value)} no longer allowed`;
    // The common case, an enum (and type) against an enum, needs no compiled validator (tens of ms).
    const simple = Object.keys(neu).every(
      (k) => k === 'enum' || k === 'const' || k === 'type' || ANNOTATIONS.has(k),
    );
    if (simple && 'enum' in neu !== 'const' in neu) {
      const allowed = 'const' in neu ? [neu['const']] : (neu['enum'] as unknown[]);
      const types = typesOf(neu);
      const accepted = (v: unknown) =>
        allowed.some((a) => deepEqual(a, v)) && types.some((t) => hasType(v, t));
      return values.filter((v) => !accepted(v)).map(narrowed);
    }
    const root = isSchemaObject(this.newRoot) ? this.newRoot : {};
    const { $id: _id, $schema: _dialect, ...schema } = neu;
    let accepts: (value: unknown) => boolean;
    try {
      const validate = newSchemaAjv({ strict: false, validateSchema: false }).compile({
        ...schema,
        ...('$defs' in root ? { $defs: root['$defs'] } : {}),
        ...('definitions' in root ? { definitions: root['definitions'] } : {}),
      });
      accepts = (value) => validate(value) === true;
    } catch {
      return [`cannot verify the allowed values of \`${at(path)}\``];
    }
    return values.filter((value) => !accepts(value)).map(narrowed);
  }

  private checkArray(old: JsonSchemaObject, neu: JsonSchemaObject, path: string): string[] {
    const reasons = [
      ...lowerBound('minItems', old['minItems'], neu['minItems'], path),
      ...upperBound('maxItems', old['maxItems'], neu['maxItems'], path),
    ];
    if (neu['uniqueItems'] === true && old['uniqueItems'] !== true) {
      reasons.push(`uniqueItems added to \`${at(path)}\``);
    }
    const oldItems = (old['items'] ?? true) as JsonSchema | JsonSchema[];
    const newItems = (neu['items'] ?? true) as JsonSchema | JsonSchema[];
    if (Array.isArray(oldItems) || Array.isArray(newItems)) {
      if (!deepEqual(oldItems, newItems) || hasRef(oldItems)) {
        reasons.push(`cannot verify tuple \`items\` at \`${at(path)}\``);
      }
      return reasons;
    }
    return [...reasons, ...this.check(oldItems, newItems, `${path}/items`)];
  }

  private checkObject(old: JsonSchemaObject, neu: JsonSchemaObject, path: string): string[] {
    const where = path === '' ? '' : ` at \`${path}\``;
    const oldRequired = new Set(stringArray(old['required']));
    const reasons = stringArray(neu['required'])
      .filter((name) => !oldRequired.has(name))
      .map((name) => `required property \`${name}\` added${where}`);
    reasons.push(
      ...lowerBound('minProperties', old['minProperties'], neu['minProperties'], path),
      ...upperBound('maxProperties', old['maxProperties'], neu['maxProperties'], path),
    );

    const oldProperties = schemaMap(old['properties']);
    const newProperties = schemaMap(neu['properties']);
    const oldAdditional = (old['additionalProperties'] ?? true) as JsonSchema;
    const newAdditional = (neu['additionalProperties'] ?? true) as JsonSchema;
    const names = new Set([...Object.keys(oldProperties), ...Object.keys(newProperties)]);
    for (const name of names) {
      const oldProperty = oldProperties[name] ?? oldAdditional;
      if (!(name in newProperties) && newAdditional === false && oldProperty !== false) {
        reasons.push(`property \`${name}\` removed${where} while additionalProperties is false`);
        continue;
      }
      const newProperty = newProperties[name] ?? newAdditional;
      // The one assumption beyond proof: a name the old version did not declare and left entirely
      // open (additionalProperties absent or true) was not used by its writers, so declaring it
      // now (an "added optional property") is accepted, as every schema registry's users expect.
      // A name the old version constrained through an additionalProperties schema is checked.
      if (!(name in oldProperties) && old['additionalProperties'] === undefined) continue;
      if (!(name in oldProperties) && old['additionalProperties'] === true) continue;
      reasons.push(
        ...this.check(oldProperty, newProperty, `${path}/properties/${escapePointer(name)}`),
      );
    }
    if (newAdditional === false && oldAdditional !== false) {
      const listed = Object.keys(newProperties)
        .map((n) => `\`${n}\``)
        .join(', ');
      reasons.push(
        `additionalProperties of \`${at(path)}\` now false: properties other than [${listed}] are no longer allowed`,
      );
    } else {
      reasons.push(...this.check(oldAdditional, newAdditional, `${path}/additionalProperties`));
    }
    return reasons;
  }
}

function checkString(old: JsonSchemaObject, neu: JsonSchemaObject, path: string): string[] {
  const reasons = [
    ...lowerBound('minLength', old['minLength'], neu['minLength'], path),
    ...upperBound('maxLength', old['maxLength'], neu['maxLength'], path),
  ];
  for (const keyword of ['pattern', 'format']) {
    const before = old[keyword];
    const after = neu[keyword];
    if (after === undefined || after === before) continue;
    reasons.push(
      before === undefined
        ? `${keyword} ${JSON.stringify(after)} added to \`${at(path)}\``
        : `cannot verify ${keyword} change of \`${at(path)}\` from ${JSON.stringify(before)} to ${JSON.stringify(after)}`,
    );
  }
  return reasons;
}

function checkNumber(old: JsonSchemaObject, neu: JsonSchemaObject, path: string): string[] {
  const reasons: string[] = [];
  const oldLow = bound(old, 'minimum', 'exclusiveMinimum', Math.max);
  const newLow = bound(neu, 'minimum', 'exclusiveMinimum', Math.max);
  if (newLow && (!oldLow || looser(newLow, oldLow, -1))) {
    reasons.push(
      oldLow
        ? `minimum of \`${at(path)}\` raised from ${formatBound(oldLow)} to ${formatBound(newLow)}`
        : `minimum ${formatBound(newLow)} added to \`${at(path)}\``,
    );
  }
  const oldHigh = bound(old, 'maximum', 'exclusiveMaximum', Math.min);
  const newHigh = bound(neu, 'maximum', 'exclusiveMaximum', Math.min);
  if (newHigh && (!oldHigh || looser(newHigh, oldHigh, 1))) {
    reasons.push(
      oldHigh
        ? `maximum of \`${at(path)}\` lowered from ${formatBound(oldHigh)} to ${formatBound(newHigh)}`
        : `maximum ${formatBound(newHigh)} added to \`${at(path)}\``,
    );
  }
  const oldStep = old['multipleOf'];
  const newStep = neu['multipleOf'];
  if (typeof newStep === 'number' && newStep !== oldStep) {
    const divides = typeof oldStep === 'number' && Number.isInteger(oldStep / newStep);
    if (!divides) {
      reasons.push(
        oldStep === undefined
          ? `multipleOf ${newStep} added to \`${at(path)}\``
          : `multipleOf of \`${at(path)}\` changed from ${String(oldStep)} to ${newStep}`,
      );
    }
  }
  return reasons;
}

/**
 * True when `next` does NOT include every number `previous` allows on that side: for a lower
 * bound (`direction` -1) it is higher, or equal but newly exclusive; mirrored for an upper bound.
 */
function looser(next: Bound, previous: Bound, direction: -1 | 1): boolean {
  if (next.value !== previous.value)
    return direction === -1 ? next.value > previous.value : next.value < previous.value;
  return next.exclusive && !previous.exclusive;
}

/** The tighter of the inclusive and exclusive bound on one side (draft-07: both are numbers). */
function bound(
  schema: JsonSchemaObject,
  inclusive: string,
  exclusive: string,
  tighter: (a: number, b: number) => number,
): Bound | undefined {
  const a = typeof schema[inclusive] === 'number' ? (schema[inclusive] as number) : undefined;
  const b = typeof schema[exclusive] === 'number' ? (schema[exclusive] as number) : undefined;
  if (a === undefined && b === undefined) return undefined;
  if (a === undefined) return { value: b as number, exclusive: true };
  if (b === undefined) return { value: a, exclusive: false };
  const value = tighter(a, b);
  return { value, exclusive: value === b };
}

const formatBound = (b: Bound): string =>
  b.exclusive ? `${b.value} (exclusive)` : String(b.value);

function lowerBound(keyword: string, before: unknown, after: unknown, path: string): string[] {
  const previous = typeof before === 'number' ? before : 0;
  if (typeof after !== 'number' || after <= previous) return [];
  return [`${keyword} of \`${at(path)}\` raised from ${previous} to ${after}`];
}

function upperBound(keyword: string, before: unknown, after: unknown, path: string): string[] {
  if (typeof after !== 'number') return [];
  if (typeof before !== 'number') return [`${keyword} ${after} added to \`${at(path)}\``];
  return after < before ? [`${keyword} of \`${at(path)}\` lowered from ${before} to ${after}`] : [];
}

/** The values a schema admits when they are few enough to list; undefined otherwise. */
function finiteValues(schema: JsonSchemaObject): unknown[] | undefined {
  if ('const' in schema) return [schema['const']];
  if (Array.isArray(schema['enum'])) return schema['enum'] as unknown[];
  const types = typesOf(schema);
  if (types.every((t) => t === 'null' || t === 'boolean')) {
    return [
      ...(types.includes('null') ? [null] : []),
      ...(types.includes('boolean') ? [true, false] : []),
    ];
  }
  return undefined;
}

function typesOf(schema: JsonSchemaObject): TypeName[] {
  const type = schema['type'];
  if (typeof type === 'string') return [type as TypeName];
  if (Array.isArray(type)) return type as TypeName[];
  return ALL_TYPES;
}

/** JSON Schema's type of a JSON value (integer being a number without fraction). */
function hasType(value: unknown, type: TypeName): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isSchemaObject(value);
  }
}

const admits = (types: TypeName[], type: TypeName): boolean =>
  types.includes(type) || (type === 'integer' && types.includes('number'));

function formatTypes(type: unknown): string {
  if (type === undefined) return 'any';
  return Array.isArray(type) ? `[${type.join(',')}]` : String(type);
}

/** `{anyOf: […]}` or `{oneOf: […]}` with nothing else that constrains: its branches. */
function pureDisjunction(schema: JsonSchemaObject): unknown[] | undefined {
  for (const keyword of ['anyOf', 'oneOf']) {
    const branches = schema[keyword];
    if (!Array.isArray(branches)) continue;
    const others = Object.keys(schema).filter((k) => k !== keyword && !ANNOTATIONS.has(k));
    if (others.length === 0) return branches;
  }
  return undefined;
}

function acceptsEverything(schema: JsonSchemaObject): boolean {
  return Object.keys(schema).every((k) => ANNOTATIONS.has(k));
}

/** Only local refs into the same document (`#/$defs/x`, `#/definitions/x`, any JSON Pointer). */
function resolveRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const token of ref.slice(2).split('/')) {
    const key = decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isSchemaObject(node) || !(key in node)) return undefined;
    node = node[key];
  }
  return typeof node === 'boolean' || isSchemaObject(node) ? node : undefined;
}

function hasRef(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasRef);
  if (!isSchemaObject(value)) return false;
  return '$ref' in value || Object.values(value).some(hasRef);
}

function schemaMap(value: unknown): Record<string, JsonSchema> {
  return isSchemaObject(value) ? (value as Record<string, JsonSchema>) : {};
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

const escapePointer = (name: string): string => name.replace(/~/g, '~0').replace(/\//g, '~1');

/** A JSON Pointer for messages: the root is `/`. */
const at = (path: string): string => (path === '' ? '/' : path);
