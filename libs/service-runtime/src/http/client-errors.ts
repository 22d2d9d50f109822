import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE } from './problem-details';
import { ProblemException } from './problem.exception';

/**
 * Answers a request Node's HTTP parser refused (headers too large, a timeout, bytes that are not
 * HTTP) on the raw socket, as problem details like every other error: no route, hook or filter
 * ever sees it. Replaces Fastify's default, which answers plain JSON.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  // A reset connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { problem } = problemForClientError(error.code);
  if (socket.writable) {
    const body = JSON.stringify(problem);
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? ''}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

function problemForClientError(code: string | undefined): ProblemException {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new ProblemException(
      408,
      'REQUEST.TIMEOUT',
      'Request timeout',
      'The request was not received in time',
    );
  }
  if (code === 'HPE_HEADER_OVERFLOW') {
    return new ProblemException(
      431,
      'REQUEST.HEADERS_TOO_LARGE',
      'Request headers too large',
      'The request headers exceed the size this server accepts',
    );
  }
  return new ProblemException(
    400,
    'REQUEST.MALFORMED_HTTP',
    'Malformed HTTP request',
    'The request is not valid HTTP/1.1',
  );
}
