import { sameTopics, selectTopics } from './topic-selection';

describe('topic selection', () => {
  it('takes every topic except the internal ones, sorted', () => {
    expect(
      selectTopics(['user_events', '__consumer_offsets', 'a', '__transaction_state'], undefined),
    ).toEqual(['a', 'user_events']);
  });

  it('narrows to a pattern', () => {
    expect(selectTopics(['it.1.x', 'it.2.y', 'user_events'], /^it\.1\./)).toEqual(['it.1.x']);
  });

  it('compares selections', () => {
    expect(sameTopics(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameTopics(['a', 'b'], ['a'])).toBe(false);
    expect(sameTopics(['a', 'b'], ['a', 'c'])).toBe(false);
  });
});
