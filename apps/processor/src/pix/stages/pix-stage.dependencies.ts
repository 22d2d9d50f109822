import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { KAFKA_CLIENT, KafkaBatchServer, KafkaProducer } from '@event-hub/kafka';
import { PROCESSOR_SETTINGS, type ProcessorSettings } from '../../config/processor.settings';
import { ProcessorMetrics } from '../../metrics/processor.metrics';
import { PixOutboxSignal } from '../relays/outbox-signal';
import { PIX_RELAY_SETTINGS, type PixRelaySettings } from '../relays/pix-relay.settings';
import { PixStageStatuses, type PixStageDependencies } from './pix-stage.consumer';
import { PixStageMetrics } from './pix-stage.metrics';

/** What every PIX stage consumer needs, injected once. */
@Injectable()
export class PixStageWiring implements PixStageDependencies {
  readonly topicPrefix: string;

  constructor(
    readonly server: KafkaBatchServer,
    @Inject(KAFKA_CLIENT) readonly kafka: Kafka,
    @InjectDataSource() readonly dataSource: DataSource,
    readonly producer: KafkaProducer,
    @Inject(PROCESSOR_SETTINGS) readonly processor: ProcessorSettings,
    @Inject(PIX_RELAY_SETTINGS) relay: PixRelaySettings,
    readonly processorMetrics: ProcessorMetrics,
    readonly metrics: PixStageMetrics,
    readonly statuses: PixStageStatuses,
    readonly outboxSignal: PixOutboxSignal,
  ) {
    this.topicPrefix = relay.topicPrefix;
  }
}
