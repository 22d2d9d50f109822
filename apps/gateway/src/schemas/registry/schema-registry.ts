import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { GatewayEnvironment } from '../../config/gateway.environment';
import { backwardIncompatibilities } from '../compatibility/backward-compatibility';
import {
  canonicalJson,
  compileSchema,
  SchemaCompileError,
  type JsonSchemaObject,
} from '../shared/json-schema';
import { SchemaMetrics } from '../shared/schema.metrics';
import { IncompatibleSchemaError, InvalidSchemaError } from './schema.errors';
import { SchemaSubjectEntity, type CompatibilityMode } from './schema-subject.entity';
import { SchemaVersionEntity } from './schema-version.entity';

/** Canonical JSON bytes of one schema at most: schemas are read on every cold produce path. */
export const MAX_SCHEMA_BYTES = 64 * 1024;

export interface Registration {
  subject: string;
  version: number;
  id: number;
  /** False when an identical schema was already registered (the answer is then that version). */
  created: boolean;
}

export interface SubjectSummary {
  subject: string;
  compatibility: CompatibilityMode;
  latestVersion: number | null;
}

/**
 * The per-tenant schema registry in Postgres. Registrations of one subject take turns on its row
 * lock (`SELECT … FOR UPDATE`), so the identity check, the compatibility check against the latest
 * version and the next version number are decided by one registration at a time across every
 * gateway instance; the unique fingerprint is the last guard.
 */
@Injectable()
export class SchemaRegistry {
  private readonly latestCache = new Map<
    string,
    { expiresAt: number; version: Promise<SchemaVersionEntity | null> }
  >();
  private readonly cacheTtlMs: number;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly metrics: SchemaMetrics,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    this.cacheTtlMs = config.get('GATEWAY_SCHEMA_CACHE_TTL_MS');
  }

  async register(
    tenantId: string,
    subject: string,
    schema: JsonSchemaObject,
  ): Promise<Registration> {
    try {
      const registration = await this.registerChecked(tenantId, subject, schema);
      this.metrics.registrations.inc({ outcome: registration.created ? 'created' : 'existing' });
      return registration;
    } catch (error) {
      if (error instanceof InvalidSchemaError)
        this.metrics.registrations.inc({ outcome: 'invalid' });
      if (error instanceof IncompatibleSchemaError) {
        this.metrics.registrations.inc({ outcome: 'incompatible' });
      }
      throw error;
    } finally {
      this.latestCache.delete(cacheKey(tenantId, subject));
    }
  }

  private async registerChecked(
    tenantId: string,
    subject: string,
    schema: JsonSchemaObject,
  ): Promise<Registration> {
    const canonical = canonicalJson(schema);
    const bytes = Buffer.byteLength(canonical);
    if (bytes > MAX_SCHEMA_BYTES) {
      throw new InvalidSchemaError(`the schema is ${bytes} bytes; at most ${MAX_SCHEMA_BYTES}`);
    }
    try {
      compileSchema(schema);
    } catch (error) {
      if (error instanceof SchemaCompileError) throw new InvalidSchemaError(error.message);
      throw error;
    }
    const fingerprint = createHash('sha256').update(canonical).digest('hex');

    return this.db.transaction(async (tx) => {
      const compatibility = await this.lockSubject(tx, tenantId, subject);
      const identical = await tx.findOneBy(SchemaVersionEntity, { tenantId, subject, fingerprint });
      if (identical) {
        return { subject, version: identical.version, id: identical.id, created: false };
      }
      const latest = await this.latestIn(tx, tenantId, subject);
      if (latest && compatibility === 'BACKWARD') {
        const reasons = backwardIncompatibilities(latest.schema, schema);
        if (reasons.length > 0) throw new IncompatibleSchemaError(subject, latest.version, reasons);
      }
      const version = (latest?.version ?? 0) + 1;
      const rows = (await tx.query(
        `INSERT INTO schema_versions (tenant_id, subject, version, schema, fingerprint, created_at)
         VALUES ($1, $2, $3, $4::jsonb, $5, now()) RETURNING id`,
        [tenantId, subject, version, JSON.stringify(schema), fingerprint],
      )) as { id: string }[];
      return { subject, version, id: Number(rows[0]?.id), created: true };
    });
  }

  /** Creates the subject on first use and holds its row lock until the transaction ends. */
  private async lockSubject(
    tx: EntityManager,
    tenantId: string,
    subject: string,
  ): Promise<CompatibilityMode> {
    await tx.query(
      `INSERT INTO schema_subjects (tenant_id, subject) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
      [tenantId, subject],
    );
    const rows = (await tx.query(
      `SELECT compatibility FROM schema_subjects WHERE tenant_id = $1 AND subject = $2 FOR UPDATE`,
      [tenantId, subject],
    )) as { compatibility: CompatibilityMode }[];
    return rows[0]?.compatibility ?? 'BACKWARD';
  }

  async setCompatibility(
    tenantId: string,
    subject: string,
    compatibility: CompatibilityMode,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO schema_subjects (tenant_id, subject, compatibility) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, subject)
       DO UPDATE SET compatibility = EXCLUDED.compatibility, updated_at = now()`,
      [tenantId, subject, compatibility],
    );
  }

  async listSubjects(tenantId: string): Promise<SubjectSummary[]> {
    const rows = (await this.db.query(
      `SELECT s.subject, s.compatibility, max(v.version) AS latest
         FROM schema_subjects s
         LEFT JOIN schema_versions v ON v.tenant_id = s.tenant_id AND v.subject = s.subject
        WHERE s.tenant_id = $1
        GROUP BY s.subject, s.compatibility
        ORDER BY s.subject`,
      [tenantId],
    )) as { subject: string; compatibility: CompatibilityMode; latest: number | null }[];
    return rows.map((r) => ({
      subject: r.subject,
      compatibility: r.compatibility,
      latestVersion: r.latest === null ? null : Number(r.latest),
    }));
  }

  findSubject(tenantId: string, subject: string): Promise<SchemaSubjectEntity | null> {
    return this.db.getRepository(SchemaSubjectEntity).findOneBy({ tenantId, subject });
  }

  async listVersions(tenantId: string, subject: string): Promise<number[]> {
    const rows = await this.db.getRepository(SchemaVersionEntity).find({
      select: { version: true },
      where: { tenantId, subject },
      order: { version: 'ASC' },
    });
    return rows.map((r) => r.version);
  }

  findVersion(
    tenantId: string,
    subject: string,
    version: number | 'latest',
  ): Promise<SchemaVersionEntity | null> {
    if (version === 'latest') return this.latestIn(this.db.manager, tenantId, subject);
    return this.db.getRepository(SchemaVersionEntity).findOneBy({ tenantId, subject, version });
  }

  /**
   * The latest version as the produce path sees it: reused for GATEWAY_SCHEMA_CACHE_TTL_MS, and
   * forgotten at once when this instance registers a version of the subject.
   */
  cachedLatest(tenantId: string, subject: string): Promise<SchemaVersionEntity | null> {
    const key = cacheKey(tenantId, subject);
    const now = Date.now();
    const cached = this.latestCache.get(key);
    if (cached && cached.expiresAt > now) return cached.version;
    const version = this.findVersion(tenantId, subject, 'latest');
    this.latestCache.set(key, { expiresAt: now + this.cacheTtlMs, version });
    // A failed lookup must not be reused.
    version.catch(() => this.latestCache.delete(key));
    if (this.latestCache.size > 10_000) this.evictExpired(now);
    return version;
  }

  private evictExpired(now: number): void {
    for (const [key, entry] of this.latestCache) {
      if (entry.expiresAt <= now) this.latestCache.delete(key);
    }
  }

  private latestIn(
    manager: EntityManager,
    tenantId: string,
    subject: string,
  ): Promise<SchemaVersionEntity | null> {
    return manager.findOne(SchemaVersionEntity, {
      where: { tenantId, subject },
      order: { version: 'DESC' },
    });
  }
}

const cacheKey = (tenantId: string, subject: string): string => `${tenantId}\u0000${subject}`;
