import type { StartPosition } from '../../shared/start-position';

export class ReadRecordsQuery {
  constructor(
    readonly tenantId: string,
    readonly clientId: string,
    readonly topicName: string,
    readonly position: StartPosition,
    readonly partition: number | undefined,
    readonly limit: number,
    readonly maxWaitMs: number,
  ) {}
}
