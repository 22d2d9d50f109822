import { IsInt, Matches, Max, Min } from 'class-validator';
import { TOPICS } from '@event-hub/contracts';
import { BaseEnvironment, IsUrlWithProtocol } from '@event-hub/service-runtime';

const MONEY = /^(0|[1-9]\d{0,15})(\.\d{1,2})?$/;
const MONEY_MESSAGE = {
  message: 'must be a decimal amount with at most 2 decimals, e.g. "1000.00"',
};

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const TOPIC_MESSAGE = { message: 'must be a Kafka topic name (letters, digits, ".", "_", "-")' };

export class ProcessorEnvironment extends BaseEnvironment {
  @IsInt()
  @Min(1)
  @Max(65535)
  PROCESSOR_PORT: number = 8001;

  @IsUrlWithProtocol(['postgres:', 'postgresql:'])
  DATABASE_URL!: string;

  /** Consumer group of the command consumer; replicas sharing it split the partitions. */
  @Matches(/^[A-Za-z0-9._-]{1,200}$/, {
    message: 'must be a consumer group id (letters, digits, ".", "_", "-")',
  })
  PROCESSOR_GROUP_ID: string = 'processor';

  /** Topics are configurable so tests (and side-by-side deployments) can use their own. */
  @Matches(TOPIC_NAME, TOPIC_MESSAGE)
  PROCESSOR_COMMAND_TOPIC: string = TOPICS.userEvents;

  @Matches(TOPIC_NAME, TOPIC_MESSAGE)
  PROCESSOR_REPLY_TOPIC: string = TOPICS.responseEvents;

  @Matches(TOPIC_NAME, TOPIC_MESSAGE)
  PROCESSOR_DLQ_TOPIC: string = TOPICS.userEventsDlq;

  /**
   * Partitions processed at the same time, each in its own transaction (the batches of one fetch
   * then share one produce request and one offset commit). Capped below the database pool (10
   * connections) so the health check and the Postgres probe always find a connection.
   */
  @IsInt()
  @Min(1)
  @Max(8)
  PROCESSOR_PARTITIONS_CONCURRENCY: number = 6;

  /** Most commands applied in one transaction; a larger fetched batch is split into chunks. */
  @IsInt()
  @Min(1)
  @Max(5000)
  PROCESSOR_MAX_BATCH_SIZE: number = 500;

  /**
   * How long a command (or PIX stage) fetch waits at the broker for PROCESSOR_FETCH_MIN_BYTES
   * before it returns what there is. With PROCESSOR_FETCH_MIN_BYTES 1 this is how long an idle
   * consumer's fetch waits for a first record: each fetch that returns empty costs CPU in the
   * processor and the broker (with 20 ms, ~18 ms of processor CPU a second in an idle processor;
   * with 500, the three groups that read commands and PIX stages made 6 empty fetches a second).
   * It also bounds how long a rebalance or a shutdown waits for the fetch in flight.
   */
  @IsInt()
  @Min(0)
  @Max(1000)
  PROCESSOR_FETCH_MAX_WAIT_MS: number = 1000;

  /**
   * Bytes of commands a fetch waits for (up to PROCESSOR_FETCH_MAX_WAIT_MS); a command is ~1 KiB.
   * 1: the first record is answered at once, and PROCESSOR_FETCH_MIN_INTERVAL_MS gathers what
   * arrives under load. The PIX stage consumers' fetches wait the same way (a stage record is
   * ~0.8 KiB).
   */
  @IsInt()
  @Min(1)
  @Max(10485760)
  PROCESSOR_FETCH_MIN_BYTES: number = 1;

  /**
   * The least time from a fetched batch's hand-over to the next fetch of its consumer (command and
   * PIX stage consumers): what arrives meanwhile comes in one batch. At a moderate rate the costs
   * per batch (a fetch, a transaction, a produce request, an offset commit) dominate the cost per
   * command, so this sets the batch size there (~6 commands at 300/s with 20 ms); it is also the
   * most this adds to a command's latency.
   */
  @IsInt()
  @Min(0)
  @Max(1000)
  PROCESSOR_FETCH_MIN_INTERVAL_MS: number = 20;

  /** Attempts at a command that fails for a technical reason before it is dead-lettered. */
  @IsInt()
  @Min(1)
  @Max(10)
  PROCESSOR_MAX_ATTEMPTS: number = 3;

  /** Wait before the second attempt; it doubles for each further attempt. */
  @IsInt()
  @Min(0)
  @Max(60000)
  PROCESSOR_RETRY_BACKOFF_MS: number = 200;

  /** How often a consumer paused because Postgres is unreachable checks whether it is back. */
  @IsInt()
  @Min(100)
  @Max(60000)
  PROCESSOR_DB_PROBE_INTERVAL_MS: number = 1000;

  /**
   * How long the group waits for a silent member before giving its partitions to another: after a
   * crash, the partitions of the dead processor stall this long. The broker accepts 6 s at least.
   */
  @IsInt()
  @Min(6000)
  @Max(300000)
  PROCESSOR_SESSION_TIMEOUT_MS: number = 10000;

  /** How often consumer lag per partition is measured for /metrics; 0 turns it off. */
  @IsInt()
  @Min(0)
  @Max(3600000)
  PROCESSOR_LAG_INTERVAL_MS: number = 10000;

  /** Topic the gateway's usage events are aggregated from into `billing` (tests use their own). */
  @Matches(TOPIC_NAME, TOPIC_MESSAGE)
  PROCESSOR_USAGE_TOPIC: string = TOPICS.usageEvents;

  /** Where usage events that can never be stored go, with the reason in headers. */
  @Matches(TOPIC_NAME, TOPIC_MESSAGE)
  PROCESSOR_USAGE_DLQ_TOPIC: string = TOPICS.usageEventsDlq;

  /**
   * Consumer group of the usage aggregator. Empty: `<PROCESSOR_GROUP_ID>-usage`, so a processor
   * started with its own group (a test, a side-by-side deployment) never takes over the offsets of
   * the real aggregator.
   */
  @Matches(/^(?:[A-Za-z0-9._-]{1,200})?$/, {
    message: 'must be empty or a consumer group id (letters, digits, ".", "_", "-")',
  })
  PROCESSOR_USAGE_GROUP_ID: string = '';

  /** Most usage events inserted by one statement; a larger fetched batch is split into chunks. */
  @IsInt()
  @Min(1)
  @Max(10000)
  PROCESSOR_USAGE_MAX_BATCH_SIZE: number = 1000;

  /**
   * Partitions of the usage topic stored at the same time (one connection each). Kept small: with
   * the command consumer's partitions it must stay below the database pool of 10.
   */
  @IsInt()
  @Min(1)
  @Max(3)
  PROCESSOR_USAGE_PARTITIONS_CONCURRENCY: number = 2;

  /** PIX antifraud: the largest single payment (decimal string, never a float). */
  @Matches(MONEY, MONEY_MESSAGE)
  PIX_LIMIT_PER_TRANSACTION: string = '5000.00';

  /** PIX antifraud: the largest single payment from 20:00 to 06:00 São Paulo time. */
  @Matches(MONEY, MONEY_MESSAGE)
  PIX_LIMIT_NIGHT_PER_TRANSACTION: string = '1000.00';

  /** PIX antifraud: the most one payer sends per calendar day (São Paulo). */
  @Matches(MONEY, MONEY_MESSAGE)
  PIX_LIMIT_DAILY: string = '20000.00';

  /** PIX antifraud velocity: at most this many payments of one payer per window. */
  @IsInt()
  @Min(1)
  @Max(10000)
  PIX_VELOCITY_COUNT: number = 20;

  @IsInt()
  @Min(1)
  @Max(1440)
  PIX_VELOCITY_WINDOW_MINUTES: number = 10;

  /** PIX outbox: rows one relay round publishes at most (a full round runs the next at once). */
  @IsInt()
  @Min(1)
  @Max(5000)
  PIX_OUTBOX_BATCH_SIZE: number = 200;

  /** PIX outbox: wait after an empty round, doubling while rounds stay empty... */
  @IsInt()
  @Min(1)
  @Max(60000)
  PIX_OUTBOX_IDLE_MS: number = 20;

  /**
   * ...up to this: how often a quiet relay polls. A commit in this processor that writes outbox
   * rows wakes its relay at once (PixOutboxSignal), so this is the longest wait only for rows
   * nobody announced: written by another processor that died before relaying them, or postponed
   * after a refused notification. Each idle poll is two Postgres round trips; at 250 ms the two
   * relays made 8 of them a second on an idle processor.
   */
  @IsInt()
  @Min(1)
  @Max(60000)
  PIX_OUTBOX_MAX_IDLE_MS: number = 2000;

  /** Put before every PIX topic name (stage topics and outbox records); empty but in tests. */
  @Matches(/^(?:[A-Za-z0-9._-]{1,100})?$/, {
    message: 'must be empty or a topic name prefix (letters, digits, ".", "_", "-")',
  })
  PIX_TOPIC_PREFIX: string = '';

  /** RabbitMQ of the PIX notifications (topic exchange `pix`). */
  @IsUrlWithProtocol(['amqp:', 'amqps:'])
  RABBITMQ_URL: string = 'amqp://guest:guest@127.0.0.1:5672';

  /** First retry delay of a notification RabbitMQ did not take; doubles per attempt... */
  @IsInt()
  @Min(1)
  @Max(600000)
  PIX_NOTIFY_BACKOFF_MS: number = 500;

  /** ...up to this. */
  @IsInt()
  @Min(1)
  @Max(3600000)
  PIX_NOTIFY_MAX_BACKOFF_MS: number = 30000;
}
