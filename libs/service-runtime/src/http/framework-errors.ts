import { HttpStatus } from '@nestjs/common';
import { ProblemException } from './problem.exception';
import { RequestProblems } from './request-problems';

interface FrameworkError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

/**
 * The problem for a client error the framework raised itself (routing, content types, body
 * parsing: a Fastify error, or the HttpException Nest made of one), or undefined for any other.
 */
export function problemForFrameworkError(
  error: unknown,
  request: { contentType?: string; bodyLimit?: number },
): ProblemException | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, statusCode, message } = error as FrameworkError;
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return RequestProblems.bodyTooLarge(request.bodyLimit);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_TYPE':
      return RequestProblems.unsupportedMediaType(request.contentType);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return RequestProblems.malformedJson('The body is empty: send a JSON value, or no body');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return RequestProblems.malformedJson();
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return RequestProblems.invalidContentLength();
    case 'FST_ERR_BAD_URL':
      return RequestProblems.badUrl();
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return RequestProblems.uriTooLong();
  }
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode >= 500) return undefined;
  // Nest hands Fastify's errors to filters as plain HttpExceptions with the status alone.
  if (statusCode === 413) return RequestProblems.bodyTooLarge(request.bodyLimit);
  if (statusCode === 415) return RequestProblems.unsupportedMediaType(request.contentType);
  // Any other client error: named after its status, so the code stays stable.
  const name = String(HttpStatus[statusCode] ?? 'BAD_REQUEST');
  const text = typeof message === 'string' ? message : name;
  return new ProblemException(statusCode, `REQUEST.${name}`, text, text);
}

/** The media type of a request's body, without parameters. */
export function mediaTypeOf(headers: Record<string, unknown>): string | undefined {
  const value = headers['content-type'];
  return typeof value === 'string' ? value.split(';')[0]?.trim() : undefined;
}
