export class CommitOffsetsCommand {
  constructor(
    readonly tenantId: string,
    readonly topicName: string,
    readonly group: string,
    readonly offsets: readonly { partition: number; offset: string }[],
  ) {}
}
