import type { Server } from 'node:http';
import { parse as parseForm } from 'node:querystring';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { problemForFrameworkError } from './framework-errors';
import { exceedsJsonNesting } from './json-nesting';
import { containsLoneSurrogate } from './lone-surrogates';
import { RequestProblems } from './request-problems';

/** Deepest JSON body accepted by default: far beyond any real payload, far below a stack overflow. */
export const DEFAULT_MAX_JSON_DEPTH = 64;

export interface BodyParserOptions {
  maxJsonDepth: number;
}

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
    if (exceedsJsonNesting(text, maxJsonDepth)) {
      return done(RequestProblems.tooDeep(maxJsonDepth), undefined);
    }
    parseJson(request, text, (error, value) => {
      if (error) return done(problemForFrameworkError(error, {}) ?? error, undefined);
      if (containsLoneSurrogate(value)) {
        return done(
          RequestProblems.invalidUtf8('The body escapes an unpaired surrogate (\\ud800 alone)'),
          undefined,
        );
      }
      done(null, value);
    });
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
