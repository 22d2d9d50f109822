import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACCOUNT_COMMANDS } from '@event-hub/contracts';
import { ProblemException } from '@event-hub/service-runtime';
import {
  AcceptedCommandDto,
  answerAccepted,
  CommandRoute,
  commandContextOf,
} from '../../../command-acceptance/command-http';
import { ApiProblemResponse, problemExample } from '../../../docs/problem-responses';
import { OpenAccountCommand } from './open-account.command';
import { OpenAccountDto } from './open-account.dto';
import { checkPixKeyList } from './pix-key-list';

export class AcceptedAccountDto extends AcceptedCommandDto {
  @ApiProperty({
    format: 'uuid',
    description: 'The new account’s id (GET /accounts/{id} once COMPLETED)',
  })
  accountId!: string;
}

@ApiTags('accounts')
@Controller('accounts')
export class OpenAccountController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @ApiOperation({
    summary: 'Open a PIX account for a user of the tenant, with its PIX keys',
    description:
      'Validates each key (CPF/CNPJ check digits, e-mail, +55 phone, EVP v4) and produces an ' +
      '`accounts.open_account` command keyed by the new account id; the processor opens it with ' +
      'balance 0.00, version 0 and its account_balances record, or fails it with USER.NOT_FOUND ' +
      'or ACCOUNT.PIX_KEY_TAKEN (a key registered meanwhile).',
  })
  @CommandRoute(ACCOUNT_COMMANDS.openAccount, '/accounts', [
    { field: 'body.userId', message: 'userId must be an existing user of your tenant' },
    {
      field: 'body.pixKeys.0.value',
      message: 'value must be a CPF with valid check digits (11 digits or 123.456.789-09)',
    },
  ])
  @ApiProblemResponse(409, 'A PIX key is already registered in the tenant', {
    keyTaken: problemExample(
      409,
      'ACCOUNT.PIX_KEY_TAKEN',
      'PIX key already registered',
      'Already registered in this tenant: EMAIL key ana@example.com (body.pixKeys.0.value)',
      '/accounts',
      { keys: [{ field: 'body.pixKeys.0.value', type: 'EMAIL', value: 'ana@example.com' }] },
    ),
  })
  async open(
    @Body() body: OpenAccountDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptedAccountDto> {
    const keys = checkPixKeyList(body.pixKeys);
    if (!keys.ok) throw ProblemException.validation(keys.errors);
    const accepted = await this.commands.execute(
      new OpenAccountCommand(body.userId, keys.keys, commandContextOf(request)),
    );
    return { ...answerAccepted(reply, accepted), accountId: accepted.accountId };
  }
}
