import { ApiProperty } from '@nestjs/swagger';
import { IsObject } from 'class-validator';

export class RegisterSchemaDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: {
      type: 'object',
      required: ['orderId'],
      properties: { orderId: { type: 'string' }, amount: { type: 'number', minimum: 0 } },
    },
    description:
      "A JSON Schema in ajv's default dialect, draft-07 (`$schema` may name draft-07 or be left out); " +
      'unknown keywords are refused. Local `$ref`s (`#/definitions/…`, `#/$defs/…`) only.',
  })
  @IsObject()
  schema!: Record<string, unknown>;
}
