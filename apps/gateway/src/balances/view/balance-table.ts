/**
 * The accounts of the balance view, kept outside the JavaScript heap: an open-addressing hash
 * table over typed arrays, the account ids' UTF-8 bytes in one arena and each account's value (the
 * record's canonical JSON) in another. A rebuild puts a million accounts here; as JS strings and
 * objects in `Map`s they were six million objects that every garbage collection walked and moved
 * (most of the rebuild's CPU); here they are a handful of large buffers.
 *
 * Entries are never freed: a removed account's entry stays, marked dead, and comes back to life if
 * the id is written again (accounts are closed rarely; the ids stay small).
 */
export class BalanceTable {
  /** Entry index + 1 per slot; 0 = empty. Load factor kept ≤ 0.5. */
  private slots = new Int32Array(1 << 12);
  private hashes = new Uint32Array(1 << 11);
  private keyOffsets = new Uint32Array(1 << 11);
  private keyLengths = new Uint16Array(1 << 11);
  private valueOffsets = new Uint32Array(1 << 11);
  private valueLengths = new Uint16Array(1 << 11);
  private versions = new Float64Array(1 << 11);
  private bucketIds = new Uint8Array(1 << 11);
  private alive = new Uint8Array(1 << 11);
  private entries = 0;
  private live = 0;
  private keys: Buffer = Buffer.allocUnsafe(1 << 16);
  private keysUsed = 0;
  private values: Buffer = Buffer.allocUnsafe(1 << 20);
  private valuesUsed = 0;
  /** Bytes of {@link values} no live entry points at (overwritten by longer values). */
  private valuesGarbage = 0;

  /** Live accounts. */
  get size(): number {
    return this.live;
  }

  /**
   * Makes room for `entries` accounts and `valueBytes` of values at once, so a rebuild whose size
   * is known does not grow (and rehash, and copy) the table step by step. Large buffers are only
   * reserved, not touched: pages nothing was written to take no memory.
   */
  reserve(entries: number, valueBytes: number): void {
    if (entries > this.hashes.length) this.growEntries(nextPowerOfTwo(entries));
    if (entries * 2 > this.slots.length) this.growSlots(nextPowerOfTwo(entries * 2));
    if (valueBytes > this.values.length) {
      this.values = grown(this.values, this.valuesUsed, valueBytes);
    }
  }

  /** The entry of the id's bytes `key[start, start + length)` with FNV-1a `hash`, or -1. */
  find(key: Uint8Array, start: number, length: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = mix(hash) & mask; ; slot = (slot + 1) & mask) {
      const at = this.slots[slot] as number;
      if (at === 0) return -1;
      const entry = at - 1;
      if (this.hashes[entry] === hash && this.keyEquals(entry, key, start, length)) return entry;
    }
  }

  isAlive(entry: number): boolean {
    return this.alive[entry] === 1;
  }

  version(entry: number): number {
    return this.versions[entry] as number;
  }

  bucket(entry: number): number {
    return this.bucketIds[entry] as number;
  }

  /** The entry's value bytes (a view into the arena: valid until the next write). */
  value(entry: number): Buffer {
    const start = this.valueOffsets[entry] as number;
    return this.values.subarray(start, start + (this.valueLengths[entry] as number));
  }

  /**
   * Sets the account of id bytes `key` (an entry from {@link find}, or -1 to add one) to
   * `version` and the value bytes `value[start, start + length)`. The caller decided it is newer.
   */
  put(
    entry: number,
    key: Uint8Array,
    keyLength: number,
    hash: number,
    bucket: number,
    version: number,
    value: Uint8Array,
    start: number,
    length: number,
  ): void {
    if (length > 0xffff) throw new RangeError(`balance value of ${length} bytes`);
    if (entry < 0) entry = this.add(key, keyLength, hash, bucket);
    if (this.alive[entry] === 0) {
      this.alive[entry] = 1;
      this.live++;
    }
    const old = this.valueLengths[entry] as number;
    let offset = this.valueOffsets[entry] as number;
    if (length > old) {
      this.valuesGarbage += old;
      offset = this.reserveValue(length);
    } else {
      this.valuesGarbage += old - length;
    }
    copyBytes(value, start, length, this.values, offset);
    this.valueOffsets[entry] = offset;
    this.valueLengths[entry] = length;
    this.versions[entry] = version;
  }

  /** Marks the entry's account removed; false when it was not live. */
  kill(entry: number): boolean {
    if (entry < 0 || this.alive[entry] === 0) return false;
    this.alive[entry] = 0;
    this.live--;
    this.valuesGarbage += this.valueLengths[entry] as number;
    this.valueLengths[entry] = 0;
    return true;
  }

  /** Calls `visit` with every live entry, in the order the ids were first added. */
  forEachLive(visit: (entry: number) => void): void {
    for (let entry = 0; entry < this.entries; entry++) if (this.alive[entry] === 1) visit(entry);
  }

  clear(): void {
    this.slots.fill(0);
    this.alive.fill(0);
    this.valueLengths.fill(0);
    this.entries = 0;
    this.live = 0;
    this.keysUsed = 0;
    this.valuesUsed = 0;
    this.valuesGarbage = 0;
  }

  private keyEquals(entry: number, key: Uint8Array, start: number, length: number): boolean {
    if (this.keyLengths[entry] !== length) return false;
    const at = this.keyOffsets[entry] as number;
    const keys = this.keys;
    for (let i = 0; i < length; i++) if (keys[at + i] !== key[start + i]) return false;
    return true;
  }

  private add(key: Uint8Array, length: number, hash: number, bucket: number): number {
    if (this.entries === this.hashes.length) this.growEntries(this.hashes.length * 2);
    if ((this.entries + 1) * 2 > this.slots.length) this.growSlots(this.slots.length * 2);
    const entry = this.entries++;
    if (this.keysUsed + length > this.keys.length) {
      this.keys = grown(this.keys, this.keysUsed, this.keysUsed + length);
    }
    copyBytes(key, 0, length, this.keys, this.keysUsed);
    this.keyOffsets[entry] = this.keysUsed;
    this.keyLengths[entry] = length;
    this.keysUsed += length;
    this.hashes[entry] = hash;
    this.bucketIds[entry] = bucket;
    this.valueLengths[entry] = 0;
    this.alive[entry] = 0;
    this.insertSlot(entry, hash);
    return entry;
  }

  private insertSlot(entry: number, hash: number): void {
    const mask = this.slots.length - 1;
    let slot = mix(hash) & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry + 1;
  }

  private growSlots(size: number): void {
    this.slots = new Int32Array(size);
    for (let entry = 0; entry < this.entries; entry++) {
      this.insertSlot(entry, this.hashes[entry] as number);
    }
  }

  private growEntries(size: number): void {
    this.hashes = resized(this.hashes, new Uint32Array(size));
    this.keyOffsets = resized(this.keyOffsets, new Uint32Array(size));
    this.keyLengths = resized(this.keyLengths, new Uint16Array(size));
    this.valueOffsets = resized(this.valueOffsets, new Uint32Array(size));
    this.valueLengths = resized(this.valueLengths, new Uint16Array(size));
    this.versions = resized(this.versions, new Float64Array(size));
    this.bucketIds = resized(this.bucketIds, new Uint8Array(size));
    this.alive = resized(this.alive, new Uint8Array(size));
  }

  /** Room for `length` value bytes at the arena's end, compacting it first when half is garbage. */
  private reserveValue(length: number): number {
    if (this.valuesUsed + length > this.values.length) {
      if (this.valuesGarbage * 2 > this.valuesUsed) this.compactValues();
      if (this.valuesUsed + length > this.values.length) {
        this.values = grown(this.values, this.valuesUsed, this.valuesUsed + length);
      }
    }
    const offset = this.valuesUsed;
    this.valuesUsed += length;
    return offset;
  }

  private compactValues(): void {
    const next = Buffer.allocUnsafe(this.values.length);
    let used = 0;
    for (let entry = 0; entry < this.entries; entry++) {
      const length = this.valueLengths[entry] as number;
      if (length === 0) continue;
      const start = this.valueOffsets[entry] as number;
      this.values.copy(next, used, start, start + length);
      this.valueOffsets[entry] = used;
      used += length;
    }
    this.values = next;
    this.valuesUsed = used;
    this.valuesGarbage = 0;
  }
}

/** Spreads FNV-1a's low bits, which the slot mask keeps (the bucket uses the same hash). */
function mix(hash: number): number {
  return (hash ^ (hash >>> 15) ^ (hash >>> 24)) >>> 0;
}

/** A byte loop: no view object per record, unlike `subarray` (short ids and values). */
function copyBytes(
  from: Uint8Array,
  start: number,
  length: number,
  to: Uint8Array,
  at: number,
): void {
  for (let i = 0; i < length; i++) to[at + i] = from[start + i] as number;
}

function nextPowerOfTwo(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return size;
}

function grown(buffer: Buffer, used: number, needed: number): Buffer {
  let size = buffer.length * 2;
  while (size < needed) size *= 2;
  const next = Buffer.allocUnsafe(size);
  buffer.copy(next, 0, 0, used);
  return next;
}

function resized<T extends { set(array: ArrayLike<number>): void }>(
  from: ArrayLike<number>,
  to: T,
): T {
  to.set(from);
  return to;
}
