import { Inject, Injectable } from '@nestjs/common';
import { ConfigResourceTypes, type Admin, Kafka } from 'kafkajs';
import type { CleanupPolicy } from '@event-hub/contracts';
import {
  KAFKA_CLIENT,
  createTopicsAndWaitForLeaders,
  forgetTopics,
  isUnknownTopicError,
} from '@event-hub/kafka';

export interface KafkaTopicSettings {
  physicalName: string;
  partitions: number;
  retentionMs: number;
  cleanupPolicy: CleanupPolicy;
}

/** How long topic creation waits for partition leaders before it is reported as failed. */
const LEADER_TIMEOUT_MS = 20000;

/**
 * The Kafka side of tenant topics. Replication is capped at the broker count, as the catalog
 * provisioner does, so a dev cluster of one broker works and production keeps three copies.
 */
@Injectable()
export class TenantKafkaTopics {
  constructor(@Inject(KAFKA_CLIENT) private readonly kafka: Kafka) {}

  /**
   * Makes the Kafka topic exist with these settings. A topic already there is one an earlier,
   * interrupted attempt created (it was never served: its row was not READY), so it is adopted,
   * or re-created when its partition count differs.
   */
  ensure(settings: KafkaTopicSettings): Promise<void> {
    return this.withAdmin(async (admin) => {
      const replication = await this.replication(admin);
      const spec = {
        topic: settings.physicalName,
        numPartitions: settings.partitions,
        replicationFactor: replication,
        configEntries: configEntries(settings, replication),
      };
      const created = await createTopicsAndWaitForLeaders(admin, [spec], LEADER_TIMEOUT_MS);
      if (created) return;
      if ((await this.partitionCount(admin, settings.physicalName)) !== settings.partitions) {
        await admin.deleteTopics({ topics: [settings.physicalName], timeout: 10000 });
        forgetTopics(this.kafka, [settings.physicalName]);
        await createTopicsAndWaitForLeaders(admin, [spec], LEADER_TIMEOUT_MS);
        // A deletion still under way makes creation report "already exists": check, and let the
        // caller retry rather than mark a topic ready that is not what was asked for.
        const partitions = await this.partitionCount(admin, settings.physicalName);
        if (partitions !== settings.partitions) {
          throw new Error(
            `${settings.physicalName} is being re-created (has ${partitions} partitions, not ${settings.partitions})`,
          );
        }
        return;
      }
      await this.alter(admin, settings, replication);
    });
  }

  /** Sets retention and cleanup policy (the whole set: Kafka's AlterConfigs replaces, not merges). */
  configure(settings: KafkaTopicSettings): Promise<void> {
    return this.withAdmin(async (admin) =>
      this.alter(admin, settings, await this.replication(admin)),
    );
  }

  /**
   * Deletes the topic; one that is already gone counts as deleted. This instance's producers,
   * readers and admin clients forget it at once, so none of their metadata refreshes asks for it
   * (the libs/kafka guard covers the other instances and services on their next refresh).
   */
  async delete(physicalName: string): Promise<void> {
    await this.withAdmin(async (admin) => {
      // kafkajs retries an unknown topic for a long while: ask first.
      if (!(await admin.listTopics()).includes(physicalName)) return;
      try {
        await admin.deleteTopics({ topics: [physicalName], timeout: 10000 });
      } catch (error) {
        if (!isUnknownTopicError(error)) throw error;
      }
    });
    forgetTopics(this.kafka, [physicalName]);
  }

  private async alter(admin: Admin, settings: KafkaTopicSettings, replication: number) {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: settings.physicalName,
          configEntries: configEntries(settings, replication),
        },
      ],
    });
  }

  private async partitionCount(admin: Admin, topic: string): Promise<number> {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0]?.partitions.length ?? 0;
  }

  private async replication(admin: Admin): Promise<number> {
    const { brokers } = await admin.describeCluster();
    return Math.max(1, Math.min(3, brokers.length));
  }

  private async withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await use(admin);
    } finally {
      await admin.disconnect();
    }
  }
}

function configEntries(
  settings: KafkaTopicSettings,
  replication: number,
): { name: string; value: string }[] {
  return [
    { name: 'cleanup.policy', value: settings.cleanupPolicy },
    { name: 'retention.ms', value: String(settings.retentionMs) },
    // With acks=all, one replica may be lost without refusing writes (as for catalog topics).
    { name: 'min.insync.replicas', value: String(Math.max(1, replication - 1)) },
  ];
}
