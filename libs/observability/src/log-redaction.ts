/**
 * Keys whose values never reach a log line, wherever pino finds them at these paths: credentials
 * (headers, client secrets, tokens) and the personal data the commands carry (e-mail, CPF, name).
 */
export const REDACTED_LOG_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  ...['authorization', 'password', 'secret', 'client_secret', 'clientSecret', 'token']
    .concat(['access_token', 'accessToken', 'refresh_token', 'privateKey'])
    .concat(['email', 'cpf', 'document', 'name', 'fullName', 'phone'])
    .flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
];

export const REDACTED = '[redacted]';

/** Whether a line holds 11 digits, punctuated like a CPF or not (a fast, unanchored pre-check). */
const ELEVEN_DIGITS = /\d{3}\.?\d{3}\.?\d{3}-?\d{2}/;

/**
 * What a path-based redaction cannot see: a secret or a personal value inside a message or an
 * error text (a URL's query, an echoed input). Matched on the serialized line, last thing before
 * it is written; each pattern runs only when a cheap substring check says it may match, since
 * every log line pays for this.
 */
const SCRUBBERS: readonly { mayMatch: (line: string) => boolean; pattern: RegExp }[] = [
  // A JWT: three base64url parts, the first one a JSON header ("{"alg"… → eyJ).
  { mayMatch: (l) => l.includes('eyJ'), pattern: /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g },
  // Credentials given by scheme (Authorization header values written out).
  {
    mayMatch: (l) => l.includes('Bearer') || l.includes('Basic'),
    pattern: /\b(?:Bearer|Basic)\s+[\w~+/.=-]{8,}/g,
  },
  // Secrets and tokens in a query string or form body.
  {
    mayMatch: (l) => l.includes('secret=') || l.includes('token=') || l.includes('password='),
    pattern: /\b(?:client_secret|password|access_token|refresh_token|token)=[^&\s"\\]+/g,
  },
  // An e-mail address.
  { mayMatch: (l) => l.includes('@'), pattern: /[\w.+-]+@[A-Za-z\d-]+(?:\.[A-Za-z\d-]+)+/g },
  // A CPF, punctuated or not (11 digits standing alone).
  {
    mayMatch: (l) => ELEVEN_DIGITS.test(l),
    pattern: /(?<![\w.-])\d{3}\.?\d{3}\.?\d{3}-?\d{2}(?![\w.-])/g,
  },
];

/** The log line with every secret or personal value the patterns recognise replaced. */
export function scrubLogLine(line: string): string {
  let scrubbed = line;
  for (const { mayMatch, pattern } of SCRUBBERS)
    if (mayMatch(scrubbed)) scrubbed = scrubbed.replace(pattern, REDACTED);
  return scrubbed;
}
