import {
  IsInt,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { TOPICS } from '@event-hub/contracts';
import { BaseEnvironment, IsUrlWithProtocol } from '@event-hub/service-runtime';

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
/** A non-negative decimal price: up to 9 integer digits and 12 decimals, no exponent. */
const DECIMAL_PRICE = /^(?:0|[1-9][0-9]{0,8})(?:\.[0-9]{1,12})?$/;
const DECIMAL_PRICE_MESSAGE = {
  message: 'must be a non-negative decimal such as 0.005 (up to 12 decimals, no exponent)',
};

export class GatewayEnvironment extends BaseEnvironment {
  @IsInt()
  @Min(1)
  @Max(65535)
  GATEWAY_PORT: number = 8000;

  @IsUrlWithProtocol(['postgres:', 'postgresql:'])
  DATABASE_URL!: string;

  /** Connections in the gateway's Postgres pool (status rows, idempotency keys, queries). */
  @IsInt()
  @Min(1)
  @Max(200)
  GATEWAY_DB_POOL_SIZE: number = 20;

  /** Topic the commands are produced to (tests point it at a topic of their own). */
  @Matches(TOPIC_NAME, { message: 'must be a Kafka topic name' })
  GATEWAY_COMMAND_TOPIC: string = TOPICS.userEvents;

  /** Topic the processor's replies are read from. */
  @Matches(TOPIC_NAME, { message: 'must be a Kafka topic name' })
  GATEWAY_REPLY_TOPIC: string = TOPICS.responseEvents;

  /** One group shared by every gateway instance, so each reply is recorded once. */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  GATEWAY_REPLY_GROUP_ID: string = 'gateway-replies';

  /**
   * How long the reply group waits for a silent member: after a gateway crash, replies are
   * recorded again (by the restarted instance or another) once the dead member's session expires.
   * The broker accepts 6 s at least.
   */
  @IsInt()
  @Min(6000)
  @Max(300000)
  GATEWAY_REPLY_SESSION_TIMEOUT_MS: number = 10000;

  /** How long a command waits for Kafka's acknowledgement before the answer is 503. */
  @IsInt()
  @Min(100)
  @Max(120000)
  GATEWAY_PRODUCE_TIMEOUT_MS: number = 5000;

  /** How long the first record of a tenant's produce transaction waits for others. */
  @IsInt()
  @Min(0)
  @Max(1000)
  GATEWAY_LINGER_MS: number = 2;

  /**
   * How long the first command of a transaction waits for others (`POST /users` and the other
   * commands). Both transaction slots are busy back to back at a moderate rate, so this sets how
   * many commands share one transaction, and each transaction costs the broker about seven
   * requests: 5 ms instead of 2 took a quarter to a third off the broker's CPU per command at
   * 300/s in bench:commands (tools/bench/README.md).
   */
  @IsInt()
  @Min(0)
  @Max(1000)
  GATEWAY_COMMAND_LINGER_MS: number = 5;

  /** A batch is produced at once when it holds this many commands… */
  @IsInt()
  @Min(1)
  @Max(100000)
  GATEWAY_MAX_BATCH_RECORDS: number = 500;

  /** …or this many bytes. */
  @IsInt()
  @Min(1024)
  @Max(64 * 1024 * 1024)
  GATEWAY_MAX_BATCH_BYTES: number = 1024 * 1024;

  /**
   * A command's deadline, from its acceptance: the processor refuses it after that instant (FAILED
   * `COMMAND.NOT_ACCEPTED`). Must exceed GATEWAY_PRODUCE_TIMEOUT_MS; a processor lagging by more
   * refuses commands answered 202.
   */
  @IsInt()
  @Min(1000)
  @Max(24 * 3600 * 1000)
  GATEWAY_COMMAND_DEADLINE_MS: number = 120000;

  /**
   * How long after its deadline a status still PENDING is resolved as not accepted: covers how far
   * the processor's clock may lag the gateway's and how long it takes to commit a command.
   */
  @IsInt()
  @Min(0)
  @Max(3600 * 1000)
  GATEWAY_COMMAND_DEADLINE_GRACE_MS: number = 30000;

  /** How often overdue PENDING statuses are looked for. */
  @IsInt()
  @Min(100)
  @Max(3600 * 1000)
  GATEWAY_COMMAND_SWEEP_INTERVAL_MS: number = 5000;

  /** Commands waiting for Kafka at most; beyond it new commands are answered 503 at once. */
  @IsInt()
  @Min(1)
  @Max(1000000)
  GATEWAY_MAX_PENDING_COMMANDS: number = 10000;

  /** `Retry-After` of a 503 when Kafka did not acknowledge a command. */
  @IsInt()
  @Min(1)
  @Max(3600)
  GATEWAY_RETRY_AFTER_SECONDS: number = 5;

  /** How long an Idempotency-Key is remembered. */
  @IsInt()
  @Min(60)
  @Max(30 * 24 * 3600)
  GATEWAY_IDEMPOTENCY_TTL_SECONDS: number = 24 * 3600;

  /** How often expired Idempotency-Keys are deleted (they are ignored as soon as they expire). */
  @IsInt()
  @Min(1000)
  @Max(24 * 3600 * 1000)
  GATEWAY_IDEMPOTENCY_CLEANUP_INTERVAL_MS: number = 10 * 60 * 1000;

  /** Topic the produce and consume usage events go to (tests point it at a topic of their own). */
  @Matches(TOPIC_NAME, { message: 'must be a Kafka topic name' })
  GATEWAY_USAGE_TOPIC: string = TOPICS.usageEvents;

  /**
   * Prefix of the produce path's transactional ids (one per producer slot). It must be stable
   * across restarts of one instance, so a restart fences the previous incarnation, and distinct
   * between instances, or they fence each other. Empty: `<KAFKA_CLIENT_ID>-gateway-<hostname>-`
   * followed by a digest of DATABASE_URL (so deployments sharing a host stay apart).
   */
  @IsString()
  @MaxLength(200)
  GATEWAY_TRANSACTIONAL_ID_PREFIX: string = '';

  /**
   * Crash tests only (see ProduceCrashPoints): `<claimed|sent|committed|stored>:<n>` kills the
   * gateway the n-th time a keyed produce request reaches that step. Empty (the default) in every
   * deployment; refused under NODE_ENV=production.
   */
  @Matches(/^((claimed|sent|committed|stored):[1-9][0-9]{0,5})?$/, {
    message: 'must be empty, or <claimed|sent|committed|stored>:<n>',
  })
  GATEWAY_TEST_CRASH_AT: string = '';

  /** Transactional producers of the produce path (transactions in flight at once). */
  @IsInt()
  @Min(1)
  @Max(32)
  GATEWAY_TRANSACTIONAL_PRODUCERS: number = 2;

  /** Records of one produce request at most; more is answered 413. */
  @IsInt()
  @Min(1)
  @Max(10000)
  GATEWAY_PRODUCE_MAX_RECORDS: number = 1000;

  /** Bytes of one produced record (key, value and headers) at most; more is answered 413. */
  @IsInt()
  @Min(64)
  @Max(1024 * 1024)
  GATEWAY_PRODUCE_MAX_RECORD_BYTES: number = 256 * 1024;

  /**
   * Bytes of the records of one produce request at most; more is answered 413. Kept below the
   * broker's default max.message.bytes (1 MiB), since a request's records may share one batch.
   */
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024)
  GATEWAY_PRODUCE_MAX_REQUEST_BYTES: number = 512 * 1024;

  /** Records waiting for a produce transaction at most; beyond it requests are answered 503. */
  @IsInt()
  @Min(1)
  @Max(1000000)
  GATEWAY_PRODUCE_MAX_PENDING_RECORDS: number = 20000;

  /** How long a tenant topic looked up for produce or consume is reused before it is read again. */
  @IsInt()
  @Min(0)
  @Max(600000)
  GATEWAY_TOPIC_CACHE_TTL_MS: number = 5000;

  /**
   * How long the latest version of a schema subject, looked up to validate produced values, is
   * reused before it is read again. A registration through this instance takes effect at once;
   * one through another instance within this delay.
   */
  @IsInt()
  @Min(0)
  @Max(600000)
  GATEWAY_SCHEMA_CACHE_TTL_MS: number = 5000;

  /**
   * Price of one metered message (produced or delivered), in BILLING_CURRENCY: a decimal string,
   * kept exact (never a float) all the way to the invoice. Seed 000: R$0.005.
   */
  @Matches(DECIMAL_PRICE, DECIMAL_PRICE_MESSAGE)
  BILLING_PRICE_PER_MESSAGE: string = '0.005';

  /** Price of one metered byte (keys, values and headers), as above. Seed 000: R$0.00001. */
  @Matches(DECIMAL_PRICE, DECIMAL_PRICE_MESSAGE)
  BILLING_PRICE_PER_BYTE: string = '0.00001';

  /** ISO 4217 code the prices and invoices are in; amounts are rounded to its hundredths. */
  @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 currency code such as BRL' })
  BILLING_CURRENCY: string = 'BRL';

  /** Readers (one kafkajs consumer each, one request at a time) kept per tenant topic for consume. */
  @IsInt()
  @Min(1)
  @Max(64)
  GATEWAY_CONSUME_READERS_PER_TOPIC: number = 4;

  /** Readers of all topics at most; the longest idle one is closed to open another topic's. */
  @IsInt()
  @Min(1)
  @Max(1024)
  GATEWAY_CONSUME_MAX_READERS: number = 64;

  /** A reader unused this long is closed (its consumer disconnected). */
  @IsInt()
  @Min(1000)
  @Max(3600000)
  GATEWAY_CONSUME_READER_IDLE_MS: number = 60000;

  /**
   * How long the broker holds a reader's empty fetch: bounds how late a long poll sees a new record
   * and how long a just-resumed partition may wait for the reader's next fetch.
   */
  @IsInt()
  @Min(1)
  @Max(5000)
  GATEWAY_CONSUME_FETCH_WAIT_MS: number = 50;

  /** Bytes of keys, values and headers in one consume answer at most (the first record always goes). */
  @IsInt()
  @Min(1024)
  @Max(64 * 1024 * 1024)
  GATEWAY_CONSUME_MAX_RESPONSE_BYTES: number = 4 * 1024 * 1024;

  /** Base URL of the processor, whose /health and /metrics the platform page (GET /) reads. */
  @IsUrlWithProtocol(['http:', 'https:'])
  PLATFORM_PROCESSOR_URL: string = 'http://127.0.0.1:8001';

  /** Base URL of the monitor, whose /health (with Elasticsearch's entry) and /metrics the page reads. */
  @IsUrlWithProtocol(['http:', 'https:'])
  PLATFORM_MONITOR_URL: string = 'http://127.0.0.1:8002';

  /**
   * RabbitMQ's AMQP address, probed by the platform page with the protocol handshake alone (no
   * login, so the gateway holds no broker credentials). Empty: shown as not configured.
   */
  @ValidateIf((env: GatewayEnvironment) => env.PLATFORM_RABBITMQ_URL !== '')
  @IsUrlWithProtocol(['amqp:', 'amqps:'])
  PLATFORM_RABBITMQ_URL: string = '';

  /** How often the page's throughput and lag samples are taken from the apps' /metrics. */
  @IsInt()
  @Min(1000)
  @Max(300000)
  PLATFORM_SAMPLE_INTERVAL_MS: number = 5000;

  /** Samples kept per series (the sparklines' width): 60 × 5 s = the last five minutes. */
  @IsInt()
  @Min(2)
  @Max(1440)
  PLATFORM_SAMPLES_KEPT: number = 60;

  /** The page's links to the operator tools; empty hides a link. */
  @ValidateIf((env: GatewayEnvironment) => env.PLATFORM_KAFKA_UI_URL !== '')
  @IsUrlWithProtocol(['http:', 'https:'])
  PLATFORM_KAFKA_UI_URL: string = '';

  @ValidateIf((env: GatewayEnvironment) => env.PLATFORM_KIBANA_URL !== '')
  @IsUrlWithProtocol(['http:', 'https:'])
  PLATFORM_KIBANA_URL: string = '';

  @ValidateIf((env: GatewayEnvironment) => env.PLATFORM_ADMINER_URL !== '')
  @IsUrlWithProtocol(['http:', 'https:'])
  PLATFORM_ADMINER_URL: string = '';

  @ValidateIf((env: GatewayEnvironment) => env.PLATFORM_GRAFANA_URL !== '')
  @IsUrlWithProtocol(['http:', 'https:'])
  PLATFORM_GRAFANA_URL: string = '';

  /** The compacted topic the balance view reads (tests point it at a topic of their own). */
  @Matches(TOPIC_NAME, { message: 'must be a Kafka topic name' })
  BALANCES_TOPIC: string = TOPICS.accountBalances;

  /**
   * The balance view's local snapshot (a SQLite file; a cache: deleting it costs a full rebuild).
   * Empty: `tmp/balances/<BALANCES_TOPIC>.sqlite` under the working directory. One file per
   * instance: two gateways must not share one.
   */
  @IsString()
  @MaxLength(1000)
  BALANCES_SNAPSHOT_PATH: string = '';

  /** How often the view's changes since the last snapshot are written to it. */
  @IsInt()
  @Min(100)
  @Max(3600 * 1000)
  BALANCES_SNAPSHOT_INTERVAL_MS: number = 10000;

  /**
   * How long `GET /accounts/:id/balance?minVersion=` waits for the view to reach that version
   * before the answer is 503 BALANCE.VERSION_NOT_YET_VISIBLE.
   */
  @IsInt()
  @Min(0)
  @Max(60000)
  BALANCES_MIN_VERSION_WAIT_MS: number = 5000;

  /**
   * Longest wait of one fetch of the balance view while the topic has nothing new: a record ends
   * the wait at once, so this sets how often an idle view polls the broker (and how long a
   * shutdown may wait for the fetch in flight), not how fast a balance is seen. Each empty fetch
   * costs the gateway and the broker CPU: at 500 ms, 2 a second on an idle gateway.
   */
  @IsInt()
  @Min(10)
  @Max(10000)
  BALANCES_FETCH_MAX_WAIT_MS: number = 1000;

  /** Put before the PIX topic names (`pix.payment.requested`); empty except in tests. */
  @Matches(/^(?:[A-Za-z0-9._-]{1,100})?$/, {
    message: 'must be empty or a topic name prefix (letters, digits, ".", "_", "-")',
  })
  PIX_TOPIC_PREFIX: string = '';

  /**
   * RabbitMQ that `POST /admin/pix/events` publishes to (topic exchange `pix`), connected on the
   * first such request: the gateway starts and serves without it.
   */
  @IsUrlWithProtocol(['amqp:', 'amqps:'])
  RABBITMQ_URL: string = 'amqp://guest:guest@127.0.0.1:5672';

  /** The payer institution's ISPB (8 digits), the second part of every PIX end-to-end id. */
  @Matches(/^\d{8}$/, { message: 'must be an ISPB: 8 digits' })
  PIX_ISPB: string = '00000000';
}
