import { containsLoneSurrogate } from './lone-surrogates';

describe('lone surrogates in parsed JSON', () => {
  it('finds an unpaired high or low surrogate in a value or a key, however nested', () => {
    expect(containsLoneSurrogate(JSON.parse('{"a":["x","\\ud800"]}'))).toBe(true);
    expect(containsLoneSurrogate(JSON.parse('{"a":{"b":"\\udc00z"}}'))).toBe(true);
    expect(containsLoneSurrogate(JSON.parse('{"\\ud83d":1}'))).toBe(true);
  });

  it('accepts paired surrogates and plain text', () => {
    expect(
      containsLoneSurrogate(JSON.parse('{"emoji":"\\ud83d\\ude00","n":1,"ok":[null,true]}')),
    ).toBe(false);
    expect(containsLoneSurrogate('Conceição 😀')).toBe(false);
  });
});
