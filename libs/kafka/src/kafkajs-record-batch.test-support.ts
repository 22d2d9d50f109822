import { createRequire } from 'node:module';

/**
 * For unit specs of the kafkajs patch: kafkajs's record batch codec and `Long`, internals with no
 * public API, typed as far as the specs use them.
 */
const load = createRequire(__filename);

export interface Long {
  toString(): string;
}

export interface DecodedRecord {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[]>;
}

export const Long = load('kafkajs/src/utils/long') as {
  fromNumber(value: number): Long;
  fromString(value: string): Long;
};
export const { RecordBatch } = load('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (options: Record<string, unknown>) => Promise<{ buffer: Buffer }>;
};
export const Record = load('kafkajs/src/protocol/recordBatch/record/v0') as (
  message: Record<string, unknown>,
) => unknown;
export const decodeRecordBatch = load('kafkajs/src/protocol/recordBatch/v0/decoder') as (
  decoder: unknown,
) => Promise<{ records: DecodedRecord[] }>;
export const Decoder = load('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => unknown;
