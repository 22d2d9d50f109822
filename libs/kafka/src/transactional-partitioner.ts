import { Partitioners, type Message, type PartitionMetadata } from 'kafkajs';
import { murmur2 } from './murmur2';

/**
 * Chooses partitions before a record is handed to a transaction, the way the producer's own
 * partitioner would (Java-compatible murmur2 for keyed records, round robin otherwise). A record's
 * offset is its partition's base offset plus its position in the batch, which is only known when
 * the partition is chosen up front.
 */
export class TransactionalPartitioner {
  private readonly partitioner = Partitioners.DefaultPartitioner();
  private readonly metadata = new Map<number, PartitionMetadata[]>();

  partitionOf(topic: string, partitionCount: number, message: Message): number {
    if (!Number.isInteger(partitionCount) || partitionCount < 1) {
      throw new Error(`topic ${topic} needs at least one partition, got ${partitionCount}`);
    }
    if (message.partition !== undefined && message.partition !== null) return message.partition;
    if (message.key !== undefined && message.key !== null) {
      return (murmur2(message.key) & 0x7fffffff) % partitionCount;
    }
    return this.partitioner({
      topic,
      partitionMetadata: this.metadataFor(partitionCount),
      message,
    });
  }

  private metadataFor(partitionCount: number): PartitionMetadata[] {
    let metadata = this.metadata.get(partitionCount);
    if (!metadata) {
      // Every partition counts as available: the broker, not a stale local view, decides.
      metadata = Array.from({ length: partitionCount }, (_, partitionId) => ({
        partitionErrorCode: 0,
        partitionId,
        leader: 0,
        replicas: [0],
        isr: [0],
      }));
      this.metadata.set(partitionCount, metadata);
    }
    return metadata;
  }
}
