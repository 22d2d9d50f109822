import type { IHeaders } from 'kafkajs';

export type HeaderMap = Record<string, string>;

/** Kafka headers as kafkajs wants them on produce (undefined values left out). */
export function encodeHeaders(headers: Record<string, string | undefined>): IHeaders {
  const encoded: IHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) encoded[name] = value;
  }
  return encoded;
}

/** Consumed headers as plain strings; a repeated header keeps its last value. */
export function decodeHeaders(headers: IHeaders | undefined): HeaderMap {
  const decoded: HeaderMap = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const last = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (last !== undefined)
      decoded[name] = Buffer.isBuffer(last) ? last.toString('utf8') : String(last);
  }
  return decoded;
}
