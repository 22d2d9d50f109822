import { exceedsJsonNesting } from './json-nesting';

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
