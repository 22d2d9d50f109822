import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { USER_COMMANDS } from '@event-hub/contracts';
import {
  AcceptedCommandDto,
  answerAccepted,
  CommandRoute,
  commandContextOf,
} from '../../../command-acceptance/command-http';
import { CreateUserCommand } from './create-user.command';
import { CreateUserDto } from './create-user.dto';

@ApiTags('users')
@Controller('users')
export class CreateUserController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @ApiOperation({
    summary: 'Create a user',
    description:
      'Validates the request and produces a `users.create_user` command to Kafka, keyed by the new ' +
      'user id. The user id is assigned here and returned by GET /status/{correlationId} once the ' +
      'processor completed the command.',
  })
  @CommandRoute(USER_COMMANDS.createUser, '/users', [
    {
      field: 'body.document',
      message:
        'document must be a valid CPF: 11 digits, plain or as 123.456.789-09, with valid check digits',
    },
    { field: 'body.nickname', message: 'is not allowed' },
  ])
  async create(
    @Body() body: CreateUserDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AcceptedCommandDto> {
    const accepted = await this.commands.execute(
      new CreateUserCommand(body.name, body.email, body.document, commandContextOf(request)),
    );
    return answerAccepted(reply, accepted);
  }
}
