import type { Message } from 'kafkajs';

/** What a message weighs on the wire, roughly: key, value, header names and values. */
export function messageBytes(message: Message): number {
  let bytes = sizeOf(message.key) + sizeOf(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    bytes += Buffer.byteLength(name);
    for (const part of Array.isArray(value) ? value : [value]) bytes += sizeOf(part);
  }
  return bytes;
}

function sizeOf(value: Buffer | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}
