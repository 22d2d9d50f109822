/**
 * The JSON a README shows as an answer, where `…` stands for what the reader cannot know in
 * advance: `"…"` or a bare `…` is any value, `"/status/…"` any string of that shape, a `…` member
 * admits more members, a last `…` item more items. An object or array without `…` is the whole answer:
 * every key, every item.
 */
export type AnswerPattern =
  | { kind: 'any' }
  | { kind: 'literal'; value: null | boolean | number }
  | { kind: 'text'; parts: string[] }
  | { kind: 'object'; members: [string, AnswerPattern][]; open: boolean }
  | { kind: 'array'; items: AnswerPattern[]; open: boolean };

export const ELLIPSIS = '…';

export class PatternSyntaxError extends Error {}

/** Parses the pattern that starts at `start` (a `{` or `[`) and says where it ended. */
export function parsePattern(text: string, start = 0): { pattern: AnswerPattern; end: number } {
  let at = start;

  const fail = (what: string): never => {
    throw new PatternSyntaxError(
      `${what} at ${at} in ${JSON.stringify(text.slice(start, at + 20))}`,
    );
  };
  const skipSpace = (): void => {
    while (at < text.length && /\s/.test(text.charAt(at))) at += 1;
  };
  const expect = (char: string): void => {
    skipSpace();
    if (text.charAt(at) !== char) fail(`expected ${char}`);
    at += 1;
  };
  const isEllipsis = (): boolean => {
    skipSpace();
    return text.startsWith(ELLIPSIS, at);
  };

  const parseString = (): string => {
    skipSpace();
    const open = at;
    if (text.charAt(at) !== '"') fail('expected a string');
    at += 1;
    while (at < text.length && text.charAt(at) !== '"') at += text.charAt(at) === '\\' ? 2 : 1;
    if (at >= text.length) fail('unterminated string');
    at += 1;
    return JSON.parse(text.slice(open, at)) as string;
  };

  // Each container reads its members, then `,` and more or its closing bracket; `…` stands for
  // any number of further members: anywhere among an object's (they are matched by key), only
  // last among an array's (its items are matched by position).
  const parseMembers = (close: string, member: () => void, anywhere: boolean): boolean => {
    let open = false;
    skipSpace();
    if (text.charAt(at) === close) {
      at += 1;
      return false;
    }
    for (;;) {
      if (isEllipsis()) {
        at += ELLIPSIS.length;
        open = true;
      } else {
        if (open && !anywhere) fail(`${ELLIPSIS} must be the last item`);
        member();
      }
      skipSpace();
      if (text.charAt(at) === close) {
        at += 1;
        return open;
      }
      expect(',');
    }
  };

  const parseValue = (): AnswerPattern => {
    skipSpace();
    const char = text.charAt(at);
    if (text.startsWith(ELLIPSIS, at)) {
      at += ELLIPSIS.length;
      return { kind: 'any' };
    }
    if (char === '{') {
      at += 1;
      const members: [string, AnswerPattern][] = [];
      const open = parseMembers(
        '}',
        () => {
          const key = parseString();
          expect(':');
          members.push([key, parseValue()]);
        },
        true,
      );
      return { kind: 'object', members, open };
    }
    if (char === '[') {
      at += 1;
      const items: AnswerPattern[] = [];
      const open = parseMembers(']', () => items.push(parseValue()), false);
      return { kind: 'array', items, open };
    }
    if (char === '"') {
      const value = parseString();
      return value === ELLIPSIS ? { kind: 'any' } : { kind: 'text', parts: value.split(ELLIPSIS) };
    }
    const literal = /^(?:null|true|false|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(at));
    if (!literal) return fail('expected a value');
    at += literal[0].length;
    return { kind: 'literal', value: JSON.parse(literal[0]) as null | boolean | number };
  };

  skipSpace();
  if (text.charAt(at) !== '{' && text.charAt(at) !== '[') fail('expected { or [');
  const pattern = parseValue();
  return { pattern, end: at };
}

function textMatches(parts: string[], actual: string): boolean {
  if (parts.length === 1) return actual === parts[0];
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (!actual.startsWith(first) || actual.length < first.length + last.length) return false;
  let from = first.length;
  for (const middle of parts.slice(1, -1)) {
    const found = actual.indexOf(middle, from);
    if (found < 0) return false;
    from = found + middle.length;
  }
  return actual.endsWith(last) && actual.length - last.length >= from;
}

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Where `actual` differs from the pattern, one line per difference, each with its JSON path. */
export function mismatches(pattern: AnswerPattern, actual: unknown, path = '$'): string[] {
  switch (pattern.kind) {
    case 'any':
      return actual === undefined ? [`${path}: missing`] : [];
    case 'literal':
      return actual === pattern.value
        ? []
        : [`${path}: ${show(actual)} is not ${show(pattern.value)}`];
    case 'text':
      return typeof actual === 'string' && textMatches(pattern.parts, actual)
        ? []
        : [`${path}: ${show(actual)} is not ${show(pattern.parts.join(ELLIPSIS))}`];
    case 'object': {
      if (!isRecord(actual)) return [`${path}: ${show(actual)} is not an object`];
      const found = pattern.members.flatMap(([key, member]) =>
        key in actual
          ? mismatches(member, actual[key], `${path}.${key}`)
          : [`${path}.${key}: missing`],
      );
      if (pattern.open) return found;
      const shown = new Set(pattern.members.map(([key]) => key));
      const unshown = Object.keys(actual).filter((key) => !shown.has(key));
      return unshown.length === 0
        ? found
        : [...found, `${path}: has ${unshown.join(', ')}, which the README does not show`];
    }
    case 'array': {
      if (!Array.isArray(actual)) return [`${path}: ${show(actual)} is not an array`];
      const countOk = pattern.open
        ? actual.length >= pattern.items.length
        : actual.length === pattern.items.length;
      if (!countOk) {
        const expected = `${pattern.items.length}${pattern.open ? ' or more' : ''}`;
        return [`${path}: ${actual.length} items, the README shows ${expected}`];
      }
      return pattern.items.flatMap((item, index) =>
        mismatches(item, actual[index], `${path}[${index}]`),
      );
    }
  }
}

/**
 * The values a reader takes from an answer to fill later placeholders: each key the pattern shows,
 * with the answer's string or number there (the first occurrence of a key, outermost first).
 */
export function capturedValues(pattern: AnswerPattern, actual: unknown): Map<string, string> {
  const captured = new Map<string, string>();
  const queue: [AnswerPattern, unknown][] = [[pattern, actual]];
  for (let next = queue.shift(); next; next = queue.shift()) {
    const [shape, value] = next;
    if (shape.kind === 'object' && isRecord(value)) {
      for (const [key, member] of shape.members) {
        const field = value[key];
        if ((typeof field === 'string' || typeof field === 'number') && !captured.has(key)) {
          captured.set(key, String(field));
        }
        queue.push([member, field]);
      }
    } else if (shape.kind === 'array' && Array.isArray(value)) {
      shape.items.forEach((item, index) => queue.push([item, value[index]]));
    }
  }
  return captured;
}
