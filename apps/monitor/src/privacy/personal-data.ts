/**
 * What counts as personal data in free text, how it is shown masked, and the one normal form its
 * keyed hash is computed from (so `Ana@Example.com` and `ana@example.com`, or a CPF with and without
 * punctuation, hash the same at index time and at search time).
 */

/**
 * An e-mail address: a local part of LOCAL_PART characters, `@`, then EMAIL_DOMAIN. `a**@example.com`
 * (our mask) never matches, so masking is idempotent.
 */
const LOCAL_PART = /[A-Za-z0-9._%+-]/;
const EMAIL_DOMAIN = /[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/y;
const WHOLE_EMAIL = new RegExp(`^${LOCAL_PART.source}+@${EMAIL_DOMAIN.source}$`);

/**
 * Replaces every e-mail address in `text`, as `text.replace(/<local part>+@<domain>/g, …)` would,
 * but in time linear in the text. That regex, unanchored, tries every position of a run of
 * local-part characters (an id, a uuid, a word) and backtracks over the rest of the run each time:
 * quadratic in the run's length, and 15 % of the monitor's CPU under `bench:commands`. Here only an
 * `@` starts a look: leftwards over the local part (from the end of the previous address at most),
 * rightwards for the domain, which is what the regex's leftmost match comes to.
 */
export function replaceEmails(text: string, replacement: (email: string) => string): string {
  let result = '';
  let copied = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > copied && LOCAL_PART.test(text.charAt(start - 1))) start -= 1;
    if (start === at) continue;
    EMAIL_DOMAIN.lastIndex = at + 1;
    if (!EMAIL_DOMAIN.test(text)) continue;
    const end = EMAIL_DOMAIN.lastIndex;
    result += text.slice(copied, start) + replacement(text.slice(start, end));
    copied = end;
    at = end - 1;
  }
  return copied === 0 ? text : result + text.slice(copied);
}

/**
 * A CPF, punctuated (`123.456.789-09`) or as 11 bare digits. Not glued to other letters or digits,
 * so a longer number or an identifier that merely contains 11 digits is left alone.
 */
const CPF = /(?<![A-Za-z0-9])(\d{3})(\.?)(\d{3})\.?(\d{3})(-?)(\d{2})(?![A-Za-z0-9])/g;

/** Bare 11-digit numbers count as a CPF only with valid check digits (phone numbers do not). */
export function hasValidCpfCheckDigits(digits: string): boolean {
  if (!/^\d{11}$/.test(digits) || /^(\d)\1{10}$/.test(digits)) return false;
  const checkDigit = (length: number): number => {
    let sum = 0;
    for (let i = 0; i < length; i++) sum += Number(digits[i]) * (length + 1 - i);
    const rest = (sum * 10) % 11;
    return rest === 10 ? 0 : rest;
  };
  return checkDigit(9) === Number(digits[9]) && checkDigit(10) === Number(digits[10]);
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, 1)}**${email.slice(at)}`;
}

/** `***.982.247-**`: the middle six digits stay, so a person can still tell records apart. */
export function maskCpf(digits: string, punctuated: boolean): string {
  const middle = punctuated
    ? `${digits.slice(3, 6)}.${digits.slice(6, 9)}`
    : `${digits.slice(3, 6)}${digits.slice(6, 9)}`;
  return punctuated ? `***.${middle}-**` : `***${middle}**`;
}

/** Any other personal value (a name): the first letter of each word, `Ana Souza` → `A** S**`. */
export function maskOther(value: string): string {
  return value
    .trim()
    .split(/\s+/)
    .map((word) => (word.length === 0 ? word : `${word.slice(0, 1)}**`))
    .join(' ');
}

/** The form a personal value is hashed in: CPF digits, lower-case e-mail, lower-case words. */
export function normalizePersonalValue(value: string): string {
  const trimmed = value.trim();
  const digits = trimmed.replace(/[.-]/g, '');
  if (/^\d{11}$/.test(digits) && /^\d{3}\.?\d{3}\.?\d{3}-?\d{2}$/.test(trimmed)) return digits;
  return trimmed.toLowerCase().replace(/\s+/g, ' ');
}

/** Masks one value a topic's catalog entry marks as personal, whatever it holds. */
export function maskPersonalValue(value: string): string {
  const normalized = normalizePersonalValue(value);
  if (/^\d{11}$/.test(normalized)) return maskCpf(normalized, /[.-]/.test(value));
  const email = value.trim();
  if (WHOLE_EMAIL.test(email)) return maskEmail(email);
  return maskOther(value);
}

interface PersonalValue {
  /** The form it is hashed in. */
  normalized: string;
  masked: string;
}

/** Replaces every e-mail and CPF in `text` by what `replacement` makes of it. */
function replacePersonal(text: string, replacement: (value: PersonalValue) => string): string {
  return replaceEmails(text, (email) =>
    replacement({ normalized: email.toLowerCase(), masked: maskEmail(email) }),
  ).replace(CPF, (match, a: string, dot: string, b: string, c: string, dash: string, d: string) => {
    const digits = `${a}${b}${c}${d}`;
    const punctuated = dot !== '' || dash !== '';
    if (!punctuated && !hasValidCpfCheckDigits(digits)) return match;
    return replacement({ normalized: digits, masked: maskCpf(digits, punctuated) });
  });
}

/** Replaces every e-mail and CPF in `text` by its mask and reports each one, in normal form. */
export function maskPersonalText(text: string, found: (normalized: string) => void): string {
  return replacePersonal(text, ({ normalized, masked }) => {
    found(normalized);
    return masked;
  });
}

/**
 * The personal values a search text names (e-mails and CPFs, in normal form), and the text left
 * once they are taken out, for the full-text part of the search.
 */
export function personalValuesIn(query: string): { values: string[]; rest: string } {
  const values = new Set<string>();
  const rest = replacePersonal(query, ({ normalized }) => {
    values.add(normalized);
    return ' ';
  });
  return { values: [...values], rest: rest.replace(/\s+/g, ' ').trim() };
}
