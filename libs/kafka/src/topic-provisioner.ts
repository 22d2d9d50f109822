import { Logger } from '@nestjs/common';
import { ConfigResourceTypes, type Admin } from 'kafkajs';
import { topicConfigEntries, type TopicSpec } from '@event-hub/contracts';
import { createTopicsAndWaitForLeaders } from './topic-leaders';

export interface ProvisionReport {
  created: string[];
  existing: string[];
  /** Human-readable differences between the catalog and existing topics; never auto-corrected. */
  drift: string[];
}

/**
 * Makes the cluster hold every topic of the catalog: creates what is missing, never deletes or
 * alters, and reports drift so an operator can decide. Safe to run from several services at once.
 */
export class TopicProvisioner {
  private readonly logger = new Logger(TopicProvisioner.name);

  constructor(private readonly admin: Admin) {}

  async ensure(specs: readonly TopicSpec[]): Promise<ProvisionReport> {
    const [existingNames, cluster] = await Promise.all([
      this.admin.listTopics(),
      this.admin.describeCluster(),
    ]);
    const brokerCount = cluster.brokers.length;
    const present = new Set(existingNames);
    const missing = specs.filter((s) => !present.has(s.name));
    const existing = specs.filter((s) => present.has(s.name));

    if (missing.length > 0) {
      // createTopics ignores "already exists", so a concurrent start of another service is harmless.
      await createTopicsAndWaitForLeaders(
        this.admin,
        missing.map((spec) => ({
          topic: spec.name,
          numPartitions: spec.partitions,
          replicationFactor: effectiveReplication(spec, brokerCount),
          configEntries: toEntries(desiredConfig(spec, brokerCount)),
        })),
      );
      this.logger.log(`created topics: ${missing.map((s) => s.name).join(', ')}`);
    }

    const drift = existing.length > 0 ? await this.findDrift(existing, brokerCount) : [];
    for (const line of drift) this.logger.warn(`topic config drift: ${line}`);
    return { created: missing.map((s) => s.name), existing: existing.map((s) => s.name), drift };
  }

  private async findDrift(specs: readonly TopicSpec[], brokerCount: number): Promise<string[]> {
    const names = specs.map((s) => s.name);
    const [metadata, configs] = await Promise.all([
      this.admin.fetchTopicMetadata({ topics: names }),
      this.admin.describeConfigs({
        includeSynonyms: false,
        resources: names.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
      }),
    ]);
    const drift: string[] = [];
    for (const spec of specs) {
      const topic = metadata.topics.find((t) => t.name === spec.name);
      if (topic && topic.partitions.length !== spec.partitions) {
        drift.push(
          `${spec.name} has ${topic.partitions.length} partitions, catalog says ${spec.partitions}`,
        );
      }
      const actual =
        configs.resources.find((r) => r.resourceName === spec.name)?.configEntries ?? [];
      for (const [name, wanted] of Object.entries(desiredConfig(spec, brokerCount))) {
        const value = actual.find((e) => e.configName === name)?.configValue;
        if (value !== undefined && value !== wanted) {
          drift.push(`${spec.name} ${name}=${value}, catalog says ${wanted}`);
        }
      }
    }
    return drift;
  }
}

function effectiveReplication(spec: TopicSpec, brokerCount: number): number {
  return Math.max(1, Math.min(spec.replicationFactor, brokerCount));
}

function desiredConfig(spec: TopicSpec, brokerCount: number): Record<string, string> {
  const replication = effectiveReplication(spec, brokerCount);
  // With acks=all, one replica may be lost without refusing writes.
  const minInSync = Math.max(1, replication - 1);
  return { ...topicConfigEntries(spec), 'min.insync.replicas': String(minInSync) };
}

function toEntries(config: Record<string, string>): { name: string; value: string }[] {
  return Object.entries(config).map(([name, value]) => ({ name, value }));
}
