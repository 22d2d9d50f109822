import { EVENT_HEADERS, personalFieldsOf } from '@event-hub/contracts';
import { maskPersonalText, maskPersonalValue, normalizePersonalValue } from './personal-data';
import type { PersonalDataHasher } from './personal-data-hasher';

/** Headers that identify a flow; they are keywords a trace matches exactly, never personal. */
const IDENTITY_HEADERS = new Set<string>(Object.values(EVENT_HEADERS));

/**
 * Masks the personal data of one record's copy for the search index and collects the keyed hashes
 * of what it masked: the fields the topic's catalog entry marks as personal, and any e-mail or
 * CPF in any text of any topic (payload values, the value text, the key, header values).
 */
export class RecordMasker {
  private readonly hashes = new Set<string>();

  constructor(
    private readonly hasher: PersonalDataHasher,
    private readonly topic: string,
  ) {}

  /** Hashes of everything masked so far, for the `piiHashes` keyword field. */
  get piiHashes(): string[] {
    return [...this.hashes];
  }

  text(text: string): string {
    return maskPersonalText(text, (normalized) => this.hashes.add(this.hasher.hash(normalized)));
  }

  /** The envelope's `data` (or a plain JSON value): catalog-marked fields first, then free text. */
  data(data: unknown): unknown {
    const marked = this.maskMarkedFields(data);
    return this.maskStrings(marked);
  }

  headers(headers: Record<string, string>): Record<string, string> {
    return Object.fromEntries(
      Object.entries(headers).map(([name, value]) => [
        name,
        IDENTITY_HEADERS.has(name) ? value : this.text(value),
      ]),
    );
  }

  /**
   * The catalog-marked fields, masked in a copy of the objects on their paths only (the rest of
   * the tree is shared with `data`, not cloned): the fields are taken in catalog order, each on
   * the tree as the previous ones left it.
   */
  private maskMarkedFields(data: unknown): unknown {
    const fields = personalFieldsOf(this.topic);
    if (fields.length === 0 || !isPlainObject(data)) return data;
    let root: Record<string, unknown> = data;
    const copies = new Set<Record<string, unknown>>();
    const own = (object: Record<string, unknown>): Record<string, unknown> => {
      if (copies.has(object)) return object;
      const copy = { ...object };
      copies.add(copy);
      return copy;
    };
    for (const path of fields) {
      const segments = path.split('.');
      const last = segments.pop() as string;
      let parent: unknown = root;
      for (const segment of segments) parent = isPlainObject(parent) ? parent[segment] : undefined;
      if (!isPlainObject(parent)) continue;
      const value = parent[last];
      if (typeof value !== 'string' && typeof value !== 'number') continue;
      const text = String(value);
      this.hashes.add(this.hasher.hash(normalizePersonalValue(text)));
      // Copies from the root down to the parent, each put in place of the object it copies.
      root = own(root);
      let owned = root;
      for (const segment of segments) {
        const child = own(owned[segment] as Record<string, unknown>);
        setOwn(owned, segment, child);
        owned = child;
      }
      owned[last] = maskPersonalValue(text);
    }
    return root;
  }

  /**
   * Copy on write: an object or array is copied only when something inside it was masked, so a
   * record without personal text costs a walk, not a second tree of objects to collect.
   */
  private maskStrings(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (typeof value !== 'object' || value === null) return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        const masked = this.maskStrings(item);
        if (masked !== item) (copy ??= value.slice())[i] = masked;
      }
      return copy ?? value;
    }
    let copy: Record<string, unknown> | undefined;
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const item = (value as Record<string, unknown>)[key];
      const masked = this.maskStrings(item);
      if (masked !== item) setOwn((copy ??= { ...value }), key, masked);
    }
    return copy ?? value;
  }
}

/** Assigns without the `__proto__` setter: JSON may hold a key of that name. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
