import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsObject, IsOptional, ValidateNested } from 'class-validator';
import {
  PIX_EXCHANGE,
  PIX_ROUTING_KEYS,
  PIX_STAGE_TOPICS,
  type PixRoutingKey,
  type PixStageTopic,
} from '@event-hub/contracts';

const ROUTING_KEYS = Object.values(PIX_ROUTING_KEYS);

export class PixEventTargetDto {
  @ApiPropertyOptional({
    enum: PIX_STAGE_TOPICS,
    example: 'pix.payment.settled',
    description: 'One of the five PIX stage topics; or give exchange and routingKey instead',
  })
  @IsOptional()
  @IsIn(PIX_STAGE_TOPICS, {
    message: `kafkaTopic must be one of the PIX topics: ${PIX_STAGE_TOPICS.join(', ')}`,
  })
  kafkaTopic?: PixStageTopic;

  @ApiPropertyOptional({ enum: [PIX_EXCHANGE], example: PIX_EXCHANGE })
  @IsOptional()
  @IsIn([PIX_EXCHANGE], { message: `exchange must be ${PIX_EXCHANGE}` })
  exchange?: typeof PIX_EXCHANGE;

  @ApiPropertyOptional({ enum: ROUTING_KEYS, example: PIX_ROUTING_KEYS.settled })
  @IsOptional()
  @IsIn(ROUTING_KEYS, { message: `routingKey must be one of: ${ROUTING_KEYS.join(', ')}` })
  routingKey?: PixRoutingKey;
}

export class PublishPixEventDto {
  @ApiProperty({
    type: PixEventTargetDto,
    description: '`{"kafkaTopic": …}` or `{"exchange": "pix", "routingKey": …}`',
  })
  @IsDefined()
  @ValidateNested()
  @Type(() => PixEventTargetDto)
  target!: PixEventTargetDto;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'The whole event in the platform envelope, checked against the JSON Schema of the ' +
      'target’s event type (the topic name or the routing key; see /asyncapi): eventType must ' +
      'be that type, tenantId an existing tenant, data exactly what that stage carries.',
  })
  @IsDefined()
  @IsObject()
  event!: Record<string, unknown>;
}

export class PublishedPixEventDto {
  @ApiProperty({ format: 'uuid', description: 'The event’s eventId, as published' })
  eventId!: string;

  @ApiProperty({ example: 'pix.payment.settled' })
  eventType!: string;

  @ApiProperty({ example: 'acme' })
  tenantId!: string;

  @ApiPropertyOptional({
    example: 'pix.payment.settled',
    description: 'Kafka: the topic written (with PIX_TOPIC_PREFIX, empty but in tests)',
  })
  topic?: string;

  @ApiPropertyOptional({ example: 2 })
  partition?: number;

  @ApiPropertyOptional({ example: '41', description: 'Kafka offset, a decimal string' })
  offset?: string;

  @ApiPropertyOptional({ example: PIX_EXCHANGE, description: 'RabbitMQ: the exchange, confirmed' })
  exchange?: string;

  @ApiPropertyOptional({ example: PIX_ROUTING_KEYS.settled })
  routingKey?: string;
}
