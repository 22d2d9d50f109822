import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';

/**
 * The `:name` of a topic route. Deliberately not pattern-checked here: a malformed name must be
 * answered 404 like any topic the caller does not have, not 400.
 */
export class TopicNameParams {
  @ApiProperty({ example: 'orders.created' })
  @IsString()
  name!: string;
}
