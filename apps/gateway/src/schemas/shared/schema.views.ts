import { ApiProperty } from '@nestjs/swagger';
import { COMPATIBILITY_MODES, type CompatibilityMode } from '../registry/schema-subject.entity';
import type { SchemaVersionEntity } from '../registry/schema-version.entity';

export class RegisteredSchemaView {
  @ApiProperty({ example: 'orders-value' })
  subject!: string;

  @ApiProperty({ example: 2 })
  version!: number;

  @ApiProperty({ example: 17, description: 'Registry-wide id of this schema version' })
  id!: number;
}

export class SchemaVersionView extends RegisteredSchemaView {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
    description: 'The JSON Schema (draft-07) as registered',
  })
  schema!: Record<string, unknown>;

  @ApiProperty({ example: '3f0a…', description: 'SHA-256 of the canonical schema (sorted keys)' })
  fingerprint!: string;

  @ApiProperty({ example: '2026-11-23T12:00:00.000Z' })
  createdAt!: string;

  static of(row: SchemaVersionEntity): SchemaVersionView {
    return {
      subject: row.subject,
      version: row.version,
      id: row.id,
      schema: row.schema,
      fingerprint: row.fingerprint.trim(),
      createdAt: row.createdAt.toISOString(),
    };
  }
}

export class SubjectView {
  @ApiProperty({ example: 'orders-value' })
  subject!: string;

  @ApiProperty({ enum: COMPATIBILITY_MODES, example: 'BACKWARD' })
  compatibility!: CompatibilityMode;

  @ApiProperty({ type: Number, nullable: true, example: 2 })
  latestVersion!: number | null;
}

export class SubjectListView {
  @ApiProperty({ type: [SubjectView] })
  subjects!: SubjectView[];
}

export class VersionListView {
  @ApiProperty({ example: 'orders-value' })
  subject!: string;

  @ApiProperty({ type: [Number], example: [1, 2] })
  versions!: number[];
}

export class CompatibilityView {
  @ApiProperty({ example: 'orders-value' })
  subject!: string;

  @ApiProperty({ enum: COMPATIBILITY_MODES, example: 'BACKWARD' })
  compatibility!: CompatibilityMode;
}
