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

/**
 * What a path-based redaction cannot see: a secret or a personal value inside a message or an
 * error text (a URL's query, an echoed input). Matched on the serialized line, last thing before
 * it is written.
 */
const SECRET_OR_PERSONAL = new RegExp(
  [
    // A JWT: three base64url parts, the first one a JSON header ("{"alg"… → eyJ).
    String.raw`eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*`,
    // Credentials given by scheme (Authorization header values written out).
    String.raw`\b(?:Bearer|Basic)\s+[\w~+/.=-]{8,}`,
    // Secrets and tokens in a query string or form body.
    String.raw`\b(?:client_secret|password|access_token|refresh_token|token)=[^&\s"\\]+`,
    // An e-mail address.
    String.raw`[\w.+-]+@[A-Za-z\d-]+(?:\.[A-Za-z\d-]+)+`,
    // A CPF, punctuated or not (11 digits standing alone).
    String.raw`(?<![\w.-])\d{3}\.?\d{3}\.?\d{3}-?\d{2}(?![\w.-])`,
  ].join('|'),
  'g',
);

/** The log line with every secret or personal value the patterns recognise replaced. */
export function scrubLogLine(line: string): string {
  return line.replace(SECRET_OR_PERSONAL, REDACTED);
}
