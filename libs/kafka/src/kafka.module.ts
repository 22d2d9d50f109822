import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type InjectionToken,
  type ModuleMetadata,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { Kafka, type Producer } from 'kafkajs';
import { TOPIC_CATALOG } from '@event-hub/contracts';
import { createKafkaClient } from './kafka-client.factory';
import { KafkaHealthIndicator } from './kafka-health.indicator';
import { parseBrokerList, type KafkaSettings } from './kafka-settings';
import { KAFKA_CLIENT, KAFKA_SERVICE_NAME, KAFKA_SETTINGS } from './kafka.tokens';
import { IDEMPOTENT_PRODUCER } from './producer-defaults';
import { TopicProvisioner } from './topic-provisioner';
import { KafkaBatchServer } from './transport/kafka-batch.server';

export interface KafkaModuleOptions {
  service: string;
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...args: never[]) => KafkaSettings | Promise<KafkaSettings>;
  /** Provision the topic catalog when the module starts (default true). */
  provisionTopics?: boolean;
}

/** The service's idempotent producer, connected at start and flushed on shutdown. */
@Injectable()
export class KafkaProducer implements OnModuleInit, OnApplicationShutdown {
  readonly producer: Producer;

  constructor(@Inject(KAFKA_CLIENT) kafka: Kafka) {
    this.producer = kafka.producer(IDEMPOTENT_PRODUCER);
  }

  async onModuleInit(): Promise<void> {
    await this.producer.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
  }
}

const PROVISION_ON_START = Symbol('PROVISION_ON_START');

/** Provisions the catalog before the service starts serving, so no producer meets a missing topic. */
@Injectable()
class CatalogProvisioning implements OnModuleInit {
  private readonly logger = new Logger('TopicCatalog');

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(PROVISION_ON_START) private readonly enabled: boolean,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.enabled) return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const report = await new TopicProvisioner(admin).ensure(TOPIC_CATALOG);
      this.logger.log(
        `catalog provisioned: ${report.created.length} created, ${report.existing.length} existing, ${report.drift.length} drifted`,
      );
    } finally {
      await admin.disconnect();
    }
  }
}

@Module({})
export class KafkaModule {
  /** The usual wiring: settings from the validated KAFKA_BROKERS, KAFKA_CLIENT_ID, HEALTH_TIMEOUT_MS. */
  static forService(service: string): DynamicModule {
    return KafkaModule.forRootAsync({
      service,
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        brokers: parseBrokerList(config.getOrThrow<string>('KAFKA_BROKERS')),
        clientId: config.getOrThrow<string>('KAFKA_CLIENT_ID'),
        healthTimeoutMs: config.get<number>('HEALTH_TIMEOUT_MS'),
      }),
    });
  }

  static forRootAsync(options: KafkaModuleOptions): DynamicModule {
    return {
      module: KafkaModule,
      global: true,
      imports: [...(options.imports ?? []), TerminusModule],
      providers: [
        { provide: KAFKA_SERVICE_NAME, useValue: options.service },
        {
          provide: KAFKA_SETTINGS,
          inject: options.inject ?? [],
          useFactory: options.useFactory,
        },
        {
          provide: KAFKA_CLIENT,
          inject: [KAFKA_SETTINGS],
          useFactory: (settings: KafkaSettings) => createKafkaClient(settings, options.service),
        },
        { provide: PROVISION_ON_START, useValue: options.provisionTopics ?? true },
        CatalogProvisioning,
        KafkaProducer,
        KafkaHealthIndicator,
        KafkaBatchServer,
      ],
      exports: [
        KAFKA_SETTINGS,
        KAFKA_CLIENT,
        KAFKA_SERVICE_NAME,
        KafkaProducer,
        KafkaHealthIndicator,
        KafkaBatchServer,
      ],
    };
  }
}
