import type { ProducerConfig } from 'kafkajs';
import { FastDefaultPartitioner } from './fast-partitioner';

/**
 * Every producer of the platform is idempotent with acks=all: a retried send after a broker hiccup
 * never writes a duplicate. kafkajs implements KIP-98's original rule of one request in flight per
 * broker for idempotent producers, so throughput comes from batching (see CoalescingProducer).
 */
export const IDEMPOTENT_PRODUCER: ProducerConfig = {
  idempotent: true,
  maxInFlightRequests: 1,
  allowAutoTopicCreation: false,
  // Java-compatible murmur2 partitioning, so keyed records land where Java clients would put them
  // (kafkajs's DefaultPartitioner, with a faster hash of the same value).
  createPartitioner: FastDefaultPartitioner,
};

/** acks=all: the write is acknowledged only once every in-sync replica has it. */
export const ACKS_ALL = -1;
