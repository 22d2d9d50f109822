/**
 * A schema subject's name: what a tenant registers versions under and binds a topic's values to
 * (`valueSubject`). The same rule as the topics' `valueSubject`, so every subject a topic can be
 * bound to can be registered: a letter or digit, then letters, digits, `.`, `_` or `-`, at most
 * 200 characters in all; no slashes, spaces or other characters that could reach another path.
 */
export const SCHEMA_SUBJECT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export const SCHEMA_SUBJECT_MAX_LENGTH = 200;

export function isSchemaSubject(name: unknown): name is string {
  return typeof name === 'string' && SCHEMA_SUBJECT_PATTERN.test(name);
}

/** Subjects of the platform's own topics follow Confluent's `<topic>-value` naming. */
export const valueSubjectOf = (topic: string): string => `${topic}-value`;
