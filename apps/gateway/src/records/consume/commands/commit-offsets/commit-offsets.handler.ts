import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { TenantTopicDirectory } from '../../../../topics/tenant-topic-directory';
import { TopicNotFoundError } from '../../../../topics/shared/topic.errors';
import { ConsumePositionError } from '../../shared/consume.errors';
import { KafkaOffsets } from '../../shared/kafka-offsets';
import { physicalGroupId } from '../../shared/start-position';
import { CommitOffsetsCommand } from './commit-offsets.command';

export interface CommittedOffsetsView {
  group: string;
  offsets: { partition: number; offset: string }[];
}

/** Stores a tenant group's offsets in Kafka (the group is a named cursor nothing joins). */
@CommandHandler(CommitOffsetsCommand)
export class CommitOffsetsHandler implements ICommandHandler<CommitOffsetsCommand> {
  constructor(
    private readonly directory: TenantTopicDirectory,
    private readonly offsets: KafkaOffsets,
  ) {}

  async execute(command: CommitOffsetsCommand): Promise<CommittedOffsetsView> {
    const topic = await this.directory.find(command.tenantId, command.topicName);
    if (!topic) throw new TopicNotFoundError(command.topicName);
    const seen = new Set<number>();
    const watermarks = new Map(
      (await this.offsets.watermarks(topic.physicalName)).map((w) => [w.partition, w]),
    );
    command.offsets.forEach(({ partition, offset }, index) => {
      const w = watermarks.get(partition);
      const field = `body.offsets[${index}]`;
      if (!w) {
        throw new ConsumePositionError(
          `${field}.partition`,
          `Partition ${partition} does not exist; the topic has partitions 0 to ${watermarks.size - 1}`,
        );
      }
      if (seen.has(partition)) {
        throw new ConsumePositionError(
          `${field}.partition`,
          `Partition ${partition} appears twice`,
        );
      }
      seen.add(partition);
      if (BigInt(offset) > w.high) {
        throw new ConsumePositionError(
          `${field}.offset`,
          `Offset ${offset} is past the end of partition ${partition} (offsets ${w.low} to ${w.high})`,
          { partition, low: w.low.toString(), high: w.high.toString() },
        );
      }
    });
    await this.offsets.setGroupOffsets(
      physicalGroupId(command.tenantId, command.group),
      topic.physicalName,
      [...command.offsets],
    );
    return { group: command.group, offsets: [...command.offsets] };
  }
}
