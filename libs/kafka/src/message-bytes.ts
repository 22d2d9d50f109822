import type { Message } from 'kafkajs';

/** What a message weighs on the wire, roughly: key, value, header names and values. */
export function messageBytes(message: Message): number {
  let bytes = sizeOf(message.key) + sizeOf(message.value);
  const headers = message.headers;
  if (headers === undefined) return bytes;
  // Counted for every record written, so no array per header (as Object.entries made).
  for (const name of Object.keys(headers)) {
    bytes += Buffer.byteLength(name);
    const value = headers[name];
    if (!Array.isArray(value)) bytes += sizeOf(value);
    else for (const part of value) bytes += sizeOf(part);
  }
  return bytes;
}

function sizeOf(value: Buffer | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}
