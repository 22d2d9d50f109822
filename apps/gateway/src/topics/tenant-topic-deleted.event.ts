/**
 * A tenant topic's Kafka topic was deleted through this instance. Whatever the instance keeps for
 * it (readers, cached positions) must go: nothing may keep asking Kafka about it.
 */
export class TenantTopicDeletedEvent {
  constructor(
    readonly tenantId: string,
    readonly name: string,
    readonly physicalName: string,
  ) {}
}
