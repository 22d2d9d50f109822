import type { Server } from 'node:http';
import { parse as parseForm } from 'node:querystring';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { problemForFrameworkError } from './framework-errors';
import {
  JSON_SURROGATE_ESCAPE,
  JSON_SUSPECT_KEY,
  JSON_TOO_DEEP,
  scanJsonText,
} from './json-nesting';
import { containsLoneSurrogate } from './lone-surrogates';
import { RequestProblems } from './request-problems';

/** Deepest JSON body accepted by default: far beyond any real payload, far below a stack overflow. */
export const DEFAULT_MAX_JSON_DEPTH = 64;

export interface BodyParserOptions {
  maxJsonDepth: number;
}

const BYTE_ORDER_MARK = 0xfeff;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Bodies are read as strict UTF-8 (a malformed byte is a 400, never a silent U+FFFD), and JSON is
 * bounded in depth before it is parsed. JSON and forms only: any other content type is 415.
 */
export function useStrictBodyParsers(
  app: NestFastifyApplication,
  { maxJsonDepth }: BodyParserOptions,
): void {
  const fastify = app.getHttpAdapter().getInstance();
  const { bodyLimit } = fastify.initialConfig;
  // Fastify's own JSON parser, for its __proto__ and constructor poisoning checks.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');

  app.useBodyParser<Server>('application/json', { bodyLimit }, (request, body, done) => {
    const text = decodeUtf8(body);
    if (text === undefined) return done(RequestProblems.invalidUtf8(), undefined);
    const scan = scanJsonText(text, maxJsonDepth);
    if ((scan & JSON_TOO_DEEP) !== 0) return done(RequestProblems.tooDeep(maxJsonDepth), undefined);
    const parsed = (error: Error | null, value: unknown): void => {
      if (error) return done(problemForFrameworkError(error, {}) ?? error, undefined);
      // Only an escape makes a lone surrogate (the text itself is strict UTF-8).
      if ((scan & JSON_SURROGATE_ESCAPE) !== 0 && containsLoneSurrogate(value)) {
        return done(
          RequestProblems.invalidUtf8('The body escapes an unpaired surrogate (\\ud800 alone)'),
          undefined,
        );
      }
      done(null, value);
    };
    // Fastify's parser (secure-json-parse) when a key could be __proto__ or constructor, the text
    // still starts with a byte order mark, or it is no JSON (its errors); else the same JSON.parse
    // without its second and third scan of the text.
    if ((scan & JSON_SUSPECT_KEY) !== 0 || text.charCodeAt(0) === BYTE_ORDER_MARK) {
      return parseJson(request, text, parsed);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return parseJson(request, text, parsed);
    }
    parsed(null, value);
  });
  app.useBodyParser<Server>(
    'application/x-www-form-urlencoded',
    { bodyLimit },
    (_request, body, done) => {
      const text = decodeUtf8(body);
      if (text === undefined) return done(RequestProblems.invalidUtf8(), undefined);
      done(null, parseForm(text));
    },
  );
  fastify.removeContentTypeParser('text/plain');
}

function decodeUtf8(body: Buffer): string | undefined {
  try {
    return utf8.decode(body);
  } catch {
    return undefined;
  }
}
