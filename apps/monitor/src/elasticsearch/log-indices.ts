import type { estypes } from '@elastic/elasticsearch';

/**
 * Names of the monitor's indices for one prefix. Daily indices are named from the Kafka record's
 * timestamp, not from the time the monitor read it, so a replay or redelivery of a record targets
 * the same index as the first attempt and the `${topic}-${partition}-${offset}` id dedupes it.
 */
export class LogIndices {
  /** The last day asked for, as most records of a run fall on the same day. */
  private cachedDay = Number.NaN;
  private cachedName = '';

  constructor(readonly prefix: string) {}

  /** What Kibana's data view and the search API query: daily indices and the dead-letter index. */
  get pattern(): string {
    return `${this.prefix}-*`;
  }

  get deadLetter(): string {
    return `${this.prefix}-deadletter`;
  }

  get templateName(): string {
    return this.prefix;
  }

  /** `<prefix>-YYYY.MM.DD` in UTC. */
  daily(timestampMs: number): string {
    const day = Math.floor(timestampMs / 86_400_000);
    if (day === this.cachedDay) return this.cachedName;
    this.cachedDay = day;
    this.cachedName = this.dailyName(timestampMs);
    return this.cachedName;
  }

  private dailyName(timestampMs: number): string {
    const d = new Date(timestampMs);
    const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
    const dd = String(d.getUTCDate()).padStart(2, '0');
    return `${this.prefix}-${d.getUTCFullYear()}.${mm}.${dd}`;
  }
}

export function documentId(topic: string, partition: number, offset: string | number): string {
  return `${topic}-${partition}-${offset}`;
}

/** Longest keyword kept as an exact term; longer values stay in `_source` and in `message`. */
const KEYWORD_LIMIT = 1024;

const keyword = { type: 'keyword', ignore_above: KEYWORD_LIMIT } as const;

/**
 * Version of the template. 2: personal data is masked, with its keyed hashes in `piiHashes`;
 * indices created under version 1 may hold it in clear (see the monitor's README).
 */
export const LOG_TEMPLATE_VERSION = 3;

/** Fields added since version 1, put on the existing indices too so today's index is searchable. */
export const LOG_MAPPING_ADDITIONS: Record<string, estypes.MappingProperty> = {
  piiHashes: { type: 'keyword' },
  traceId: { type: 'keyword' },
};

/**
 * The composable index template of every monitor index (daily and dead-letter share it, so the
 * fields have one type across the whole pattern and sorting/filtering works over all of them).
 *
 * Mapping choice: the top level is `dynamic: false`, so a producer can never add fields to the
 * mapping. The record's JSON payload goes into one `flattened` field: every leaf is indexed as a
 * keyword under its path (`payload.user.email: "a@b.c"` works in KQL and in term queries) without
 * creating a mapping entry per key, so arbitrary or conflicting payload shapes cannot explode or
 * break the mapping. Flattened values are not analysed, so the record value is also kept as text
 * in `message` (the UTF-8 value as produced) for full-text search. The one thing flattened still
 * rejects is an object nested deeper than `depth_limit` (20): such a record goes to the
 * dead-letter index with the reason, and its text stays searchable there.
 */
export function logIndexTemplate(
  indices: LogIndices,
  replicas: number,
): estypes.IndicesPutIndexTemplateRequest {
  return {
    name: indices.templateName,
    index_patterns: [indices.pattern],
    // Above the built-in templates (priority 100 and below), so ours wins for our prefix.
    priority: 300,
    version: LOG_TEMPLATE_VERSION,
    _meta: {
      managedBy: 'event-hub monitor',
      description: 'Kafka records indexed by the monitor',
      personalData: 'masked, with keyed hashes in piiHashes',
    },
    template: {
      settings: {
        number_of_shards: 1,
        number_of_replicas: replicas,
        refresh_interval: '1s',
      },
      mappings: {
        dynamic: false,
        properties: {
          '@timestamp': { type: 'date' },
          readAt: { type: 'date' },
          topic: { type: 'keyword' },
          partition: { type: 'integer' },
          offset: { type: 'long' },
          key: keyword,
          keyEncoding: { type: 'keyword' },
          headers: { type: 'flattened', ignore_above: KEYWORD_LIMIT },
          format: { type: 'keyword' },
          eventId: keyword,
          eventType: keyword,
          source: keyword,
          tenantId: keyword,
          correlationId: keyword,
          causationId: keyword,
          version: keyword,
          clientId: keyword,
          payload: { type: 'flattened', ignore_above: KEYWORD_LIMIT },
          message: { type: 'text' },
          rawBase64: { type: 'binary' },
          valueBytes: { type: 'integer' },
          parseError: { type: 'boolean' },
          parseErrorReason: keyword,
          ...LOG_MAPPING_ADDITIONS,
          deadLetter: {
            properties: {
              type: { type: 'keyword' },
              reason: { type: 'text' },
              index: { type: 'keyword' },
              at: { type: 'date' },
              contentOmitted: { type: 'boolean' },
            },
          },
        },
      },
    },
  };
}

/** Adds the fields of {@link LOG_MAPPING_ADDITIONS} to every existing index of the pattern. */
export function logMappingUpdate(indices: LogIndices): estypes.IndicesPutMappingRequest {
  return {
    index: indices.pattern,
    allow_no_indices: true,
    ignore_unavailable: true,
    properties: LOG_MAPPING_ADDITIONS,
  };
}
