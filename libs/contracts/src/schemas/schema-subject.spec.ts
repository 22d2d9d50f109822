import { isSchemaSubject, valueSubjectOf } from './schema-subject';

describe('schema subject names', () => {
  it.each(['orders-value', 'user_events-value', 'users.create_user-data', 'A1', 'x'.repeat(200)])(
    'accepts %s',
    (name) => expect(isSchemaSubject(name)).toBe(true),
  );

  it.each([
    ['empty', ''],
    ['a leading dot', '.hidden'],
    ['a leading hyphen', '-x'],
    ['a slash', 'a/b'],
    ['an encoded slash', 'a%2Fb'],
    ['a space', 'a b'],
    ['a non-ASCII letter', 'pedido-ção'],
    ['more than 200 characters', 'x'.repeat(201)],
    ['a newline', 'a\nb'],
  ])('refuses %s', (_, name) => expect(isSchemaSubject(name)).toBe(false));

  it('refuses what is not a string', () => expect(isSchemaSubject(42)).toBe(false));

  it('names a topic’s value subject as Confluent does', () =>
    expect(valueSubjectOf('usage_events')).toBe('usage_events-value'));
});
