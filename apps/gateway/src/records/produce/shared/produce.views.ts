import { ApiProperty } from '@nestjs/swagger';

export class ProducedRecordView {
  @ApiProperty({ example: 0 })
  partition!: number;

  @ApiProperty({ example: '42', description: 'Kafka offset (64-bit, as a decimal string)' })
  offset!: string;
}

export class ProducedRecordsView {
  @ApiProperty({
    type: [ProducedRecordView],
    description: 'One entry per record, in request order',
  })
  records!: ProducedRecordView[];
}
