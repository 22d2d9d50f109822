import { Injectable } from '@nestjs/common';
import type { ValidateFunction } from 'ajv';
import { RecordValueValidator, type RecordValueProblem } from '../record-value-validator';
import { SchemaRegistry } from '../registry/schema-registry';
import { compileSchema } from '../shared/json-schema';
import { SchemaMetrics } from '../shared/schema.metrics';
import { valueProblems } from './value-problems';

/** Compiled validators kept at most; a version never changes, so an entry never goes stale. */
const MAX_COMPILED = 1000;

/**
 * Checks produced values against the latest registered version of the topic's subject. Compiling
 * is the expensive part (milliseconds), so validators are kept per (tenant, subject, version); the
 * latest-version lookup is the registry's short cache.
 */
@Injectable()
export class RegisteredValueValidator extends RecordValueValidator {
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(
    private readonly registry: SchemaRegistry,
    private readonly metrics: SchemaMetrics,
  ) {
    super();
  }

  async validate(
    tenantId: string,
    subject: string,
    values: readonly unknown[],
  ): Promise<RecordValueProblem[]> {
    this.metrics.validatedRecords.inc(values.length);
    const latest = await this.registry.cachedLatest(tenantId, subject);
    if (!latest) {
      this.metrics.validationFailures.inc(values.length);
      return values.map((_, index) => ({
        index,
        path: '',
        message: `the topic is bound to schema subject ${JSON.stringify(subject)}, which has no registered version: register one before producing`,
      }));
    }
    const validate = this.validatorOf(tenantId, subject, latest.version, latest.schema);
    const problems: RecordValueProblem[] = [];
    let failed = 0;
    values.forEach((value, index) => {
      if (validate(value)) return;
      failed += 1;
      problems.push(...valueProblems(index, validate.errors ?? []));
    });
    if (failed > 0) this.metrics.validationFailures.inc(failed);
    return problems;
  }

  private validatorOf(
    tenantId: string,
    subject: string,
    version: number,
    schema: Record<string, unknown>,
  ): ValidateFunction {
    const key = `${tenantId}\u0000${subject}\u0000${version}`;
    let validate = this.compiled.get(key);
    if (validate) {
      // Least recently used goes first: re-insert on every hit.
      this.compiled.delete(key);
    } else {
      validate = compileSchema(schema);
      if (this.compiled.size >= MAX_COMPILED) {
        const oldest = this.compiled.keys().next().value;
        if (oldest !== undefined) this.compiled.delete(oldest);
      }
    }
    this.compiled.set(key, validate);
    return validate;
  }
}
