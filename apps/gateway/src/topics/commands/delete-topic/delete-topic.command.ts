import { Command } from '@nestjs/cqrs';

export class DeleteTopicCommand extends Command<void> {
  constructor(
    readonly tenantId: string,
    readonly name: string,
  ) {
    super();
  }
}
