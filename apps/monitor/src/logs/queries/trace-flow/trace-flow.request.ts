import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class TraceFlowParams {
  @ApiProperty({
    description: 'The correlation id of the flow',
    example: '2f0c1d4e-6b2a-4a57-9d3e-5b8e0c1a7f10',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  correlationId!: string;
}
