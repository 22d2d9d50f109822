import { ProblemException } from './problem.exception';

/**
 * Requests refused before any route runs (by the HTTP framework or the body parsers), each with
 * a stable `REQUEST.*` code, so a client can tell "fix the request" apart from "the route said no".
 */
export const RequestProblems = {
  malformedJson: (detail = 'The body is not valid JSON'): ProblemException =>
    new ProblemException(400, 'REQUEST.MALFORMED_JSON', 'Malformed JSON body', detail),

  tooDeep: (maxDepth: number): ProblemException =>
    new ProblemException(
      400,
      'REQUEST.TOO_DEEP',
      'JSON body nested too deeply',
      `The body nests objects and arrays more than ${maxDepth} levels deep`,
      { maxDepth },
    ),

  invalidUtf8: (
    detail = 'The body must be UTF-8 text and contains bytes that are not',
  ): ProblemException =>
    new ProblemException(400, 'REQUEST.INVALID_UTF8', 'Body is not valid UTF-8', detail),

  badUrl: (): ProblemException =>
    new ProblemException(400, 'REQUEST.BAD_URL', 'Malformed URL', 'The path does not decode'),

  invalidContentLength: (): ProblemException =>
    new ProblemException(
      400,
      'REQUEST.INVALID_CONTENT_LENGTH',
      'Invalid Content-Length',
      'Content-Length does not match the body',
    ),

  routeNotFound: (method: string, path: string): ProblemException =>
    new ProblemException(
      404,
      'REQUEST.ROUTE_NOT_FOUND',
      'No such route',
      `No route serves ${method} ${path}`,
    ),

  methodNotAllowed: (method: string, allowed: string[]): ProblemException =>
    new ProblemException(
      405,
      'REQUEST.METHOD_NOT_ALLOWED',
      'Method not allowed',
      `This path does not serve ${method}; it serves ${allowed.join(', ')}`,
      { allowed },
    ),

  bodyTooLarge: (limitBytes?: number): ProblemException =>
    new ProblemException(
      413,
      'REQUEST.BODY_TOO_LARGE',
      'Request body too large',
      limitBytes === undefined
        ? 'The body is larger than this server accepts'
        : `The body is larger than ${limitBytes} bytes`,
      limitBytes === undefined ? {} : { limitBytes },
    ),

  uriTooLong: (): ProblemException =>
    new ProblemException(
      414,
      'REQUEST.URI_TOO_LONG',
      'Path segment too long',
      'A path segment is longer than any route accepts',
    ),

  unsupportedMediaType: (contentType: string | undefined): ProblemException =>
    new ProblemException(
      415,
      'REQUEST.UNSUPPORTED_MEDIA_TYPE',
      'Unsupported media type',
      `Bodies of type ${contentType ?? '(none)'} are not accepted; send application/json`,
    ),
};
