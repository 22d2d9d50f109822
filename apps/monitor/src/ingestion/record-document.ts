import type { IHeaders } from 'kafkajs';
import { EVENT_HEADERS, parsePhysicalTenantTopic } from '@event-hub/contracts';
import { decodeHeaders } from '@event-hub/kafka';
import { traceIdOf } from '@event-hub/observability';
import type { PersonalDataHasher } from '../privacy/personal-data-hasher';
import { RecordMasker } from '../privacy/record-masker';
import type { LogDocument } from '../elasticsearch/log-document';

/** The parts of a consumed record the monitor reads (a kafkajs `KafkaMessage` fits). */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: IHeaders;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Maps a record to its document, whatever it holds: our envelope, other JSON, text or bytes.
 * Nothing is dropped: the value is always kept (as text in `message`, or base64 in `rawBase64`),
 * and what could not be parsed is flagged with `parseError` and a reason. Personal data (catalog
 * fields, any e-mail or CPF) is masked, with its keyed hashes in `piiHashes`; the tenant of a
 * tenant topic comes from the topic name, whatever the record claims.
 */
export function toLogDocument(
  record: ConsumedRecord,
  readAtMs: number,
  hasher: PersonalDataHasher,
): LogDocument {
  const masker = new RecordMasker(hasher, record.topic);
  const doc: LogDocument = {
    '@timestamp': recordTimes.iso(recordTimeMs(record.timestamp, readAtMs)),
    readAt: readTimes.iso(readAtMs),
    topic: record.topic,
    partition: record.partition,
    offset: Number(record.offset),
    format: 'empty',
    valueBytes: record.value?.length ?? 0,
    parseError: false,
  };
  if (record.key !== null && record.key.length > 0) {
    const key = decodeText(record.key);
    if (key === undefined) {
      doc.key = record.key.toString('base64');
      doc.keyEncoding = 'base64';
    } else {
      doc.key = masker.text(key);
    }
  }
  const headers = decodeHeaders(record.headers);
  if (Object.keys(headers).length > 0) doc.headers = masker.headers(headers);

  describeValue(doc, record.value, masker);

  // Plain JSON or text records of other producers still follow a flow through the headers.
  setIfString(doc, 'correlationId', doc.correlationId ?? headers[EVENT_HEADERS.correlationId]);
  setIfString(doc, 'eventType', doc.eventType ?? headers[EVENT_HEADERS.eventType]);
  setIfString(doc, 'eventId', doc.eventId ?? headers[EVENT_HEADERS.eventId]);
  setIfString(doc, 'tenantId', doc.tenantId ?? headers[EVENT_HEADERS.tenantId]);
  // A tenant writes its own topics directly: the name says whose record it is, not its content.
  const traceId = traceIdOf(headers[EVENT_HEADERS.traceparent]);
  if (traceId !== undefined) doc.traceId = traceId;
  const owner = parsePhysicalTenantTopic(record.topic);
  if (owner) doc.tenantId = owner.tenantId;
  const piiHashes = masker.piiHashes;
  if (piiHashes.length > 0) doc.piiHashes = piiHashes;
  return doc;
}

/**
 * The `@timestamp` of a record in ms (and so its daily index): its Kafka timestamp, else the time
 * it was read.
 */
export function recordTimeMs(timestamp: string, readAtMs: number): number {
  const recordTime = Number(timestamp);
  return Number.isFinite(recordTime) && recordTime >= 0 ? recordTime : readAtMs;
}

/**
 * ISO strings of the last millisecond asked for: the records of a batch were mostly produced,
 * and are all read, within the same few milliseconds.
 */
class IsoTimes {
  private ms = Number.NaN;
  private text = '';

  iso(ms: number): string {
    if (ms !== this.ms) {
      this.text = new Date(ms).toISOString();
      this.ms = ms;
    }
    return this.text;
  }
}

const recordTimes = new IsoTimes();
const readTimes = new IsoTimes();

function describeValue(doc: LogDocument, value: Buffer | null, masker: RecordMasker): void {
  if (value === null || value.length === 0) return;
  const text = decodeText(value);
  if (text === undefined) {
    doc.format = 'binary';
    doc.rawBase64 = value.toString('base64');
    doc.parseError = true;
    doc.parseErrorReason = 'value is not UTF-8 text; kept as base64 in rawBase64';
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    doc.format = 'text';
    doc.message = masker.text(text);
    doc.parseError = true;
    doc.parseErrorReason = `value is not JSON: ${withoutExcerpt(error)}`;
    return;
  }
  if (isEnvelope(parsed)) {
    doc.format = 'envelope';
    setIfString(doc, 'eventId', parsed['eventId']);
    doc.eventType = parsed.eventType;
    doc.source = parsed.source;
    setIfString(doc, 'tenantId', parsed['tenantId']);
    setIfString(doc, 'version', parsed['version']);
    const metadata = isPlainObject(parsed['metadata']) ? parsed['metadata'] : {};
    setIfString(doc, 'correlationId', metadata['correlationId']);
    setIfString(doc, 'causationId', metadata['causationId']);
    setIfString(doc, 'clientId', metadata['clientId']);
    const data = masker.data(parsed['data']);
    doc.payload = asPayload(data);
    // The text copy is rebuilt from the masked data: the value as produced holds it in clear.
    // `parsed` is this function's own object, so the masked data takes the place of the clear
    // one in it (same key order as a spread copy, without making that copy).
    parsed['data'] = data;
    doc.message = masker.text(JSON.stringify(parsed));
    return;
  }
  doc.format = 'json';
  const masked = masker.data(parsed);
  doc.payload = asPayload(masked);
  doc.message = JSON.stringify(masked);
}

type StringField =
  'eventId' | 'tenantId' | 'version' | 'correlationId' | 'causationId' | 'clientId' | 'eventType';

/**
 * Sets a keyword field only when there is a string for it: no property is ever created as
 * undefined and deleted later, which would slow down serializing every document.
 */
function setIfString(doc: LogDocument, field: StringField, value: unknown): void {
  if (typeof value === 'string') doc[field] = value;
}

interface EnvelopeLike extends Record<string, unknown> {
  eventType: string;
  source: string;
}

/** Our envelope (libs/contracts): typed, sourced, with `data`; the rest is read leniently. */
function isEnvelope(value: unknown): value is EnvelopeLike {
  return (
    isPlainObject(value) &&
    typeof value['eventType'] === 'string' &&
    typeof value['source'] === 'string' &&
    'data' in value
  );
}

/** A `flattened` field only takes an object, so scalars, arrays and null are wrapped. */
function asPayload(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : { value };
}

/**
 * JSON.parse quotes the start of the text in its message (`Unexpected token 'a', "ana@exampl"...`),
 * cut where no e-mail or CPF pattern can recognise it: the excerpt is left out, the rest kept.
 */
function withoutExcerpt(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/"(?:[^"\\]|\\.)*"(?:\.\.\.)?/g, '"…"').replace(/'[^']*'/g, "'…'");
}

function decodeText(bytes: Buffer): string | undefined {
  try {
    const text = utf8.decode(bytes);
    // NUL never appears in text a person would search; treat such values as binary.
    return text.includes('\u0000') ? undefined : text;
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
