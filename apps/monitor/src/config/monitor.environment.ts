import { readFileSync } from 'node:fs';
import {
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  registerDecorator,
  Validate,
  ValidateIf,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { BaseEnvironment, IsUrlWithProtocol } from '@event-hub/service-runtime';

const MIB = 1024 * 1024;

@ValidatorConstraint({ name: 'readableFile' })
class ReadableFile implements ValidatorConstraintInterface {
  validate(path: unknown): boolean {
    if (typeof path !== 'string') return false;
    try {
      return readFileSync(path, 'utf8').trim().length > 0;
    } catch {
      return false;
    }
  }

  defaultMessage(): string {
    return 'must name a readable, non-empty file';
  }
}

/** An empty string, or a JavaScript regular expression that compiles. */
function IsRegExpSource(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isRegExpSource',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be a valid regular expression (or empty for every topic)' },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          try {
            new RegExp(value);
            return true;
          } catch {
            return false;
          }
        },
      },
    });
}

export class MonitorEnvironment extends BaseEnvironment {
  @IsInt()
  @Min(1)
  @Max(65535)
  MONITOR_PORT: number = 8002;

  @IsUrlWithProtocol(['http:', 'https:'])
  ELASTICSEARCH_URL!: string;

  /** The gateway's token endpoint, offered by Swagger UI's Authorize (client credentials). */
  @IsUrlWithProtocol(['http:', 'https:'])
  MONITOR_DOCS_TOKEN_URL: string = 'http://127.0.0.1:8000/oauth/token';

  /**
   * Jaeger's UI (e.g. http://127.0.0.1:16686): `/logs/trace/:correlationId` links each trace of
   * the flow to it. Unset: the trace ids are returned without links.
   */
  @ValidateIf((env: MonitorEnvironment) => !!env.JAEGER_UI_URL)
  @IsUrlWithProtocol(['http:', 'https:'])
  JAEGER_UI_URL?: string;

  /**
   * Basic-auth user of a cluster with security enabled (compose creates one for the monitor),
   * with ELASTICSEARCH_PASSWORD or ELASTICSEARCH_PASSWORD_FILE (a file holding it, as compose
   * mounts it). All unset for the development cluster, which runs without security.
   */
  @ValidateIf(
    (env: MonitorEnvironment) =>
      env.ELASTICSEARCH_PASSWORD !== undefined || env.ELASTICSEARCH_PASSWORD_FILE !== undefined,
  )
  @IsString()
  @MinLength(1, { message: 'must be set with ELASTICSEARCH_PASSWORD(_FILE)' })
  ELASTICSEARCH_USERNAME?: string;

  @ValidateIf(
    (env: MonitorEnvironment) =>
      env.ELASTICSEARCH_USERNAME !== undefined && env.ELASTICSEARCH_PASSWORD_FILE === undefined,
  )
  @IsString()
  @MinLength(1, {
    message: 'must be set with ELASTICSEARCH_USERNAME (or ELASTICSEARCH_PASSWORD_FILE)',
  })
  ELASTICSEARCH_PASSWORD?: string;

  @ValidateIf((env: MonitorEnvironment) => env.ELASTICSEARCH_PASSWORD_FILE !== undefined)
  @IsString()
  @Validate(ReadableFile)
  ELASTICSEARCH_PASSWORD_FILE?: string;

  /**
   * Key of the HMAC stored with every masked personal value (e-mail, CPF, catalog fields), so exact
   * search still finds it. A secret: whoever holds it can test guesses against the index.
   */
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters (e.g. openssl rand -base64 32)' })
  MONITOR_PII_HMAC_KEY!: string;

  /** After a key rotation: the previous keys, comma-separated; searches try them too. */
  @IsOptional()
  @Matches(/^[^,]{32,}(,[^,]{32,})*$/, {
    message: 'must be comma-separated keys of at least 32 characters each',
  })
  MONITOR_PII_HMAC_PREVIOUS_KEYS?: string;

  /** Where records spill as NDJSON while Elasticsearch is unavailable. */
  @IsString()
  MONITOR_FALLBACK_DIR: string = '.dev-services/monitor-fallback';

  /** Consumer group of the monitor; its committed offsets say what is safely stored. */
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{1,200}$/)
  MONITOR_GROUP_ID: string = 'monitor';

  /**
   * Restricts the subscription to topics matching this regular expression (tests use it to see
   * only their own topics). Empty = every topic; Kafka's internal `__*` topics are always skipped.
   */
  @IsRegExpSource()
  MONITOR_TOPIC_PATTERN: string = '';

  /**
   * Kafka session timeout of the monitor's consumer: how soon a crashed monitor's partitions move
   * to another member (or to its own restart). The broker accepts 6 s to 5 min by default.
   */
  @IsInt()
  @Min(6000)
  @Max(300000)
  MONITOR_SESSION_TIMEOUT_MS: number = 10000;

  /** How often topics are listed to pick up new ones (a new topic is indexed within about this). */
  @IsInt()
  @Min(500)
  @Max(300000)
  MONITOR_TOPIC_DISCOVERY_INTERVAL_MS: number = 10000;

  /**
   * Longest time the broker holds a fetch that has less than MONITOR_FETCH_MIN_BYTES: the bound on
   * how long a record waits in Kafka at a low rate, and the number of empty fetches per second
   * when idle (also how long a re-subscribe or a shutdown waits for the fetch in flight).
   */
  @IsInt()
  @Min(10)
  @Max(5000)
  MONITOR_FETCH_MAX_WAIT_MS: number = 500;

  /**
   * A fetch is answered once this many bytes are there (or at MONITOR_FETCH_MAX_WAIT_MS): at a
   * moderate rate a fetch then carries hundreds of records instead of a few, and the monitor's
   * cost per record stays close to its cost on a backlog.
   */
  @IsInt()
  @Min(1)
  @Max(16 * MIB)
  MONITOR_FETCH_MIN_BYTES: number = MIB;

  /** How often the backlog is measured from the broker's end offsets and the group's commits. */
  @IsInt()
  @Min(100)
  @Max(60000)
  MONITOR_LAG_PROBE_INTERVAL_MS: number = 5000;

  /**
   * /health reports the monitor down (503, `stalled: true`) once a record has waited in Kafka
   * longer than this without being stored.
   */
  @IsInt()
  @Min(1000)
  @Max(86400000)
  MONITOR_MAX_UNINDEXED_AGE_MS: number = 60000;

  /** Indices are `<prefix>-YYYY.MM.DD` plus `<prefix>-deadletter`, searched as `<prefix>-*`. */
  @Matches(/^[a-z0-9][a-z0-9._-]{0,180}$/, {
    message: 'must be a lowercase Elasticsearch index name prefix',
  })
  MONITOR_INDEX_PREFIX: string = 'event-hub-logs';

  /** Replicas per index; 0 suits the single-node dev cluster, raise it on a real cluster. */
  @IsInt()
  @Min(0)
  @Max(5)
  MONITOR_INDEX_REPLICAS: number = 0;

  /** A bulk request is sent when it holds this many documents… */
  @IsInt()
  @Min(1)
  @Max(20000)
  MONITOR_BULK_MAX_DOCS: number = 1000;

  /** …or this many bytes… */
  @IsInt()
  @Min(64 * 1024)
  @Max(100 * MIB)
  MONITOR_BULK_MAX_BYTES: number = 5 * MIB;

  /** …or when its first document has waited this long. */
  @IsInt()
  @Min(0)
  @Max(5000)
  MONITOR_BULK_LINGER_MS: number = 25;

  /** Bulk requests in flight at once (direct indexing and replay each). */
  @IsInt()
  @Min(1)
  @Max(16)
  MONITOR_BULK_CONCURRENCY: number = 2;

  /** How long one bulk request may take before it counts as a failure. */
  @IsInt()
  @Min(1000)
  @Max(120000)
  MONITOR_BULK_TIMEOUT_MS: number = 15000;

  /** How long 429/5xx/unreachable answers are retried before the documents spill to disk. */
  @IsInt()
  @Min(0)
  @Max(120000)
  MONITOR_RETRY_BUDGET_MS: number = 2000;

  /** Shortest interval between two offset commits (commits follow stored records). */
  @IsInt()
  @Min(0)
  @Max(600000)
  MONITOR_COMMIT_INTERVAL_MS: number = 200;

  /** A fallback file is rotated once it reaches this size. */
  @IsInt()
  @Min(64 * 1024)
  @Max(4096 * MIB)
  MONITOR_FALLBACK_FILE_BYTES: number = 64 * MIB;

  /** Bound of all fallback files together; at the bound consumption pauses (nothing is dropped). */
  @IsInt()
  @Min(MIB)
  @Max(1024 * 1024 * MIB)
  MONITOR_FALLBACK_MAX_BYTES: number = 1024 * MIB;

  /** While Elasticsearch is down, how often it is probed (and a replay starts once it answers). */
  @IsInt()
  @Min(100)
  @Max(60000)
  MONITOR_ES_PROBE_INTERVAL_MS: number = 2000;

  /** On shutdown, how long in-flight documents may take to be stored before the process leaves. */
  @IsInt()
  @Min(0)
  @Max(120000)
  MONITOR_SHUTDOWN_FLUSH_MS: number = 10000;
}
