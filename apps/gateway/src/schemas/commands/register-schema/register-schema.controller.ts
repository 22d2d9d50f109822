import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Principal, RequireScopes, SCOPES, type AuthPrincipal } from '@event-hub/auth';
import { ApiProblemResponse, problemExample } from '../../../docs/problem-responses';
import { RegisteredSchemaView } from '../../shared/schema.views';
import { WritableSubjectParams } from '../../shared/subject.params';
import { RegisterSchemaCommand } from './register-schema.command';
import { RegisterSchemaDto } from './register-schema.dto';

@ApiTags('schemas')
@Controller('schemas')
export class RegisterSchemaController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':subject/versions')
  @HttpCode(201)
  @RequireScopes(SCOPES.schemasWrite)
  @ApiOperation({
    summary: "Register a schema version under one of the caller's subjects",
    description:
      'Creates the subject on first use. A schema identical (same canonical JSON) to an existing ' +
      'version answers 200 with that version. Under BACKWARD compatibility (the default) a new ' +
      'version must accept every value the latest one accepts; what the checker cannot prove is ' +
      'refused as "cannot verify …".',
  })
  @ApiCreatedResponse({ type: RegisteredSchemaView, description: 'A new version' })
  @ApiOkResponse({ type: RegisteredSchemaView, description: 'An identical version existed' })
  @ApiProblemResponse(400, 'The subject name or the body is invalid', {
    validation: problemExample(
      400,
      'VALIDATION_FAILED',
      'Request validation failed',
      'Invalid: params.subject',
      '/schemas/a%20b/versions',
      {
        errors: [
          { field: 'params.subject', message: 'subject must start with a letter or digit…' },
        ],
      },
    ),
  })
  @ApiProblemResponse(409, 'Not BACKWARD compatible with the latest version (each reason listed)', {
    incompatible: problemExample(
      409,
      'SCHEMA.INCOMPATIBLE',
      'Schema incompatible with the latest version',
      'Not BACKWARD compatible with version 1 of "orders-value": required property `amount` added',
      '/schemas/orders-value/versions',
      {
        subject: 'orders-value',
        latestVersion: 1,
        compatibility: 'BACKWARD',
        reasons: [
          'required property `amount` added',
          'type of `/properties/id` narrowed from [string,number] to string',
        ],
      },
    ),
  })
  @ApiProblemResponse(422, 'Not a valid JSON Schema (draft-07) or too large', {
    invalid: problemExample(
      422,
      'SCHEMA.INVALID',
      'Invalid JSON Schema',
      'The schema is not a valid JSON Schema (…): strict mode: unknown keyword: "maxLenght"',
      '/schemas/orders-value/versions',
      { problem: 'strict mode: unknown keyword: "maxLenght"' },
    ),
  })
  async register(
    @Param() params: WritableSubjectParams,
    @Body() body: RegisterSchemaDto,
    @Principal() caller: AuthPrincipal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RegisteredSchemaView> {
    const registration = await this.commands.execute(
      new RegisterSchemaCommand(caller.tenantId, params.subject, body.schema),
    );
    if (!registration.created) void reply.status(200);
    return { subject: registration.subject, version: registration.version, id: registration.id };
  }
}
