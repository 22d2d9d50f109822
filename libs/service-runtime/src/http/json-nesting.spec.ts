import {
  JSON_SURROGATE_ESCAPE,
  JSON_SUSPECT_KEY,
  JSON_TOO_DEEP,
  scanJsonText,
} from './json-nesting';
import secureJsonParse from 'secure-json-parse';
import { containsLoneSurrogate } from './lone-surrogates';

/** What the body parser refuses as too deep: the scan's nesting flag. */
const exceedsJsonNesting = (text: string, maxDepth: number): boolean =>
  (scanJsonText(text, maxDepth) & JSON_TOO_DEEP) !== 0;

describe('JSON nesting bound', () => {
  const nested = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  it('allows exactly the limit and refuses one level more', () => {
    expect(exceedsJsonNesting(nested(64), 64)).toBe(false);
    expect(exceedsJsonNesting(nested(65), 64)).toBe(true);
  });

  it('counts arrays and objects together', () => {
    expect(exceedsJsonNesting('[{"a":[{"b":[]}]}]', 5)).toBe(false);
    expect(exceedsJsonNesting('[{"a":[{"b":[]}]}]', 4)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(exceedsJsonNesting(JSON.stringify({ a: '[[[[{{{{', b: 'say \\"[[[" ok' }), 1)).toBe(
      false,
    );
  });

  it('measures depth, not the number of siblings', () => {
    expect(exceedsJsonNesting(`[${'[],'.repeat(10_000)}[]]`, 2)).toBe(false);
  });

  it('scans 100,000 levels without recursion', () => {
    expect(exceedsJsonNesting('['.repeat(100_000), 64)).toBe(true);
  });
});

describe('one scan of a JSON text for what the checks after parsing look for', () => {
  const flagsOf = (text: string) => {
    const scan = scanJsonText(text, 64);
    return {
      tooDeep: (scan & JSON_TOO_DEEP) !== 0,
      surrogate: (scan & JSON_SURROGATE_ESCAPE) !== 0,
      suspectKey: (scan & JSON_SUSPECT_KEY) !== 0,
    };
  };
  const none = { tooDeep: false, surrogate: false, suspectKey: false };

  it('flags nothing in plain JSON, escapes other than \\u included', () => {
    expect(flagsOf('{"records":[{"key":"k","value":{"a":"x\\"y\\\\z\\n","b":[1,2]}}]}')).toEqual(
      none,
    );
    expect(flagsOf('{"__proto":1,"_proto__":2,"constructors":3,"Constructor":4}')).toEqual(none);
  });

  it('flags __proto__ and constructor as written, as keys or not', () => {
    expect(flagsOf('{"__proto__":{}}').suspectKey).toBe(true);
    expect(flagsOf('{"a":{"constructor":{"prototype":{}}}}').suspectKey).toBe(true);
    expect(flagsOf('["constructor"]').suspectKey).toBe(true);
  });

  it('flags any \\u escape as a possible key, and surrogates (either case) apart', () => {
    expect(flagsOf('{"\\u005f_proto__":1}')).toEqual({ ...none, suspectKey: true });
    expect(flagsOf('{"a":"\\u00e9"}')).toEqual({ ...none, suspectKey: true });
    for (const escape of ['\\ud83d', '\\uD83D', '\\udfff', '\\uDBFF', '\\ud800']) {
      expect(flagsOf(`{"a":"${escape}"}`)).toEqual({ ...none, suspectKey: true, surrogate: true });
    }
    expect(flagsOf('{"a":"\\ud7ff\\ue000"}').surrogate).toBe(false);
  });

  it('does not mistake an escaped backslash followed by u for an escape', () => {
    expect(flagsOf('{"a":"\\\\ud83d"}')).toEqual(none);
  });

  it('never misses a key secure-json-parse refuses or a lone surrogate, on random texts', () => {
    const pieces = [
      '__proto__',
      'constructor',
      'prototype',
      '{}',
      '\\u005f',
      '\\ud83d',
      '\\ude00',
      '\\\\',
      '\\"',
      'a',
      'é',
      '😀',
      'u',
    ];
    const seen = { poisoned: 0, lone: 0 };
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 3000; run++) {
      const string = () =>
        Array.from({ length: 1 + random(3) }, () => pieces[random(pieces.length)]).join('');
      const text = `{"${string()}":{"${string()}":"${string()}"},"v":["${string()}"]}`;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        continue; // not JSON: the parser refuses it either way
      }
      const flags = flagsOf(text);
      let poisoned = false;
      try {
        secureJsonParse.parse(text, { protoAction: 'error', constructorAction: 'error' });
      } catch {
        poisoned = true;
      }
      if (poisoned) {
        seen.poisoned++;
        expect({ text, suspectKey: flags.suspectKey }).toEqual({ text, suspectKey: true });
      }
      if (containsLoneSurrogate(parsed)) {
        seen.lone++;
        expect({ text, surrogate: flags.surrogate }).toEqual({ text, surrogate: true });
      }
    }
    expect(seen.poisoned).toBeGreaterThan(10);
    expect(seen.lone).toBeGreaterThan(10);
  });
});

describe('the nesting bound against the scan before it looked for anything else', () => {
  /** The nesting check as it was before the scan looked for anything else. */
  function reference(text: string, maxDepth: number): boolean {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
      const char = text[i];
      if (inString) {
        if (char === '\\') i++;
        else if (char === '"') inString = false;
      } else if (char === '"') {
        inString = true;
      } else if (char === '{' || char === '[') {
        if (++depth > maxDepth) return true;
      } else if (char === '}' || char === ']') {
        depth--;
      }
    }
    return false;
  }

  it('agrees on random texts, malformed ones and stray backslashes included', () => {
    const pieces = ['[', ']', '{', '}', '"', '\\', '\\"', '\\\\', 'a', ',', ':', 'u', '1'];
    let seed = 11;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 4000; run++) {
      const text = Array.from({ length: random(40) }, () => pieces[random(pieces.length)]).join('');
      for (const maxDepth of [1, 3]) {
        expect({ text, maxDepth, deep: exceedsJsonNesting(text, maxDepth) }).toEqual({
          text,
          maxDepth,
          deep: reference(text, maxDepth),
        });
      }
    }
  });
});

describe('the scan against one reading a character at a time', () => {
  /** The scan as it was before it jumped between quotes and backslashes: every flag, every text. */
  function reference(text: string, maxDepth: number): number {
    let flags = 0;
    let depth = 0;
    let stringStart = -1;
    let escaped = false;
    for (let i = 0; i < text.length; i++) {
      const char = text[i];
      if (stringStart >= 0) {
        if (char === '\\') {
          escaped = true;
          if (text[i + 1] === 'u') {
            flags |= JSON_SUSPECT_KEY;
            if (/^[dD][89a-fA-F]/.test(text.slice(i + 2))) flags |= JSON_SURROGATE_ESCAPE;
          }
          i++;
        } else if (char === '"') {
          const string = text.slice(stringStart, i);
          if (!escaped && (string === '__proto__' || string === 'constructor')) {
            flags |= JSON_SUSPECT_KEY;
          }
          stringStart = -1;
        }
      } else if (char === '"') {
        stringStart = i + 1;
        escaped = false;
      } else if (char === '{' || char === '[') {
        if (++depth > maxDepth) return flags | JSON_TOO_DEEP;
      } else if (char === '}' || char === ']') {
        depth--;
      }
    }
    return flags;
  }

  it('agrees on random texts of several strings, escapes and unterminated ones included', () => {
    const pieces = [
      '"',
      '\\',
      '\\"',
      '\\\\',
      '\\u',
      '\\ud83d',
      '\\u005f',
      '__proto__',
      'constructor',
      '[',
      ']',
      '{',
      '}',
      ':',
      ',',
      'a',
      'é',
      'x'.repeat(300),
    ];
    let seed = 13;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let run = 0; run < 5000; run++) {
      const text = Array.from({ length: random(60) }, () => pieces[random(pieces.length)]).join('');
      for (const maxDepth of [2, 64]) {
        expect({ text, maxDepth, flags: scanJsonText(text, maxDepth) }).toEqual({
          text,
          maxDepth,
          flags: reference(text, maxDepth),
        });
      }
    }
  });
});
