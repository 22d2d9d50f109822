import { Body, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBody, ApiOperation } from '@nestjs/swagger';
import {
  ApiProblemResponse,
  PROBLEM_EXAMPLES,
  problemExample,
} from '../../../docs/problem-responses';
import { AdminController } from '../../shared/admin-route';
import { PublishPixEventCommand } from './publish-pix-event.command';
import { PublishedPixEventDto, PublishPixEventDto } from './publish-pix-event.dto';

const PATH = '/admin/pix/events';
const PAYMENT_ID = '7d7e6a1c-3b0e-4c6b-9a51-1f1f3f7f0a11';
const SETTLED_EVENT = {
  eventId: '5b0f2a9e-8a1c-4c8e-9f3e-2d6f1f0b7c42',
  eventType: 'pix.payment.settled',
  source: 'operator',
  timestamp: '2026-12-06T15:30:00.000Z',
  version: '1.0',
  tenantId: 'acme',
  data: {
    paymentId: PAYMENT_ID,
    endToEndId: 'E00000000202612061530AbCdEfGhIjK',
    payerAccountId: '0e4c2b9f-50b8-4c35-8e2b-3f0c1f4c9a77',
    receiverAccountId: '3f9d1c2e-7b6a-4e5d-8c4b-1a2b3c4d5e6f',
    amount: '150.00',
    state: 'settled',
  },
  metadata: { correlationId: PAYMENT_ID },
};

/** Seed 002's demo publishers, kept as an operator tool for testing integrations. */
@AdminController('pix/events')
export class PublishPixEventController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Publish a PIX event to a PIX topic or the pix exchange (operator tool)',
    description:
      'For testing integrations: publishes the given event, unchanged, to one of the five PIX ' +
      'stage topics (Kafka, acks=all) or to the RabbitMQ topic exchange `pix` with a routing ' +
      'key (persistent, answered after the publisher confirm). The event must match the JSON ' +
      'Schema of the target’s event type (the topic name or routing key, as in /asyncapi) and ' +
      'name an existing tenant. Readers of the topic, such as the processor’s stages, act on it ' +
      'as on any other event.',
  })
  @ApiBody({
    type: PublishPixEventDto,
    examples: {
      kafka: {
        summary: 'A settled payment on the Kafka topic',
        value: { target: { kafkaTopic: 'pix.payment.settled' }, event: SETTLED_EVENT },
      },
      exchange: {
        summary: 'The same event on the pix exchange',
        value: {
          target: { exchange: 'pix', routingKey: 'pix.payment.settled' },
          event: SETTLED_EVENT,
        },
      },
    },
  })
  @ApiAcceptedResponse({ type: PublishedPixEventDto, description: 'What was published, where' })
  @ApiProblemResponse(
    400,
    'The target is not a PIX topic or routing key, or the event is invalid',
    {
      unknownTopic: PROBLEM_EXAMPLES.validation(PATH, [
        {
          field: 'body.target.kafkaTopic',
          message:
            'kafkaTopic must be one of the PIX topics: pix.payment.requested, pix.payment.validated, pix.payment.settled, pix.notification.sent, pix.audit.log',
        },
      ]),
      badEvent: PROBLEM_EXAMPLES.validation(PATH, [
        { field: 'body.event.data.amount', message: 'amount must be string' },
      ]),
    },
  )
  @ApiProblemResponse(
    503,
    'Kafka or RabbitMQ did not acknowledge the event',
    {
      notPublished: problemExample(
        503,
        'PIX.EVENT_NOT_PUBLISHED',
        'The broker did not take the event',
        'RabbitMQ did not acknowledge the event (connect ECONNREFUSED 127.0.0.1:5672); it may be retried as it is',
        PATH,
        { broker: 'RabbitMQ' },
      ),
    },
    { retryAfter: true },
  )
  publish(@Body() body: PublishPixEventDto): Promise<PublishedPixEventDto> {
    return this.commands.execute(
      new PublishPixEventCommand(
        {
          kafkaTopic: body.target.kafkaTopic,
          exchange: body.target.exchange,
          routingKey: body.target.routingKey,
        },
        body.event,
      ),
    );
  }
}
