import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HttpAnswer {
  status: number;
  body: string;
  /** From writing the request until the last byte of the answer. */
  ms: number;
}

/**
 * Plain node:http with keep-alive: one socket per concurrent caller, reused for every request,
 * and far less client CPU than fetch, which on a 2-core box would otherwise eat into the gateway.
 */
export class HttpClient {
  private readonly agent: Agent;

  constructor(
    readonly baseUrl: string,
    maxSockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  send(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<HttpAnswer> {
    const url = new URL(path, this.baseUrl);
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          agent: this.agent,
          headers:
            body === undefined
              ? headers
              : { ...headers, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              ms: performance.now() - started,
            }),
          );
        },
      );
      req.setTimeout(60000, () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Throws with the answer's body unless the status is one of `expected`. */
export function expectStatus(answer: HttpAnswer, what: string, ...expected: number[]): HttpAnswer {
  if (!expected.includes(answer.status)) {
    throw new Error(`${what}: ${answer.status} ${answer.body.slice(0, 500)}`);
  }
  return answer;
}

/** `HTTP <status> <problem code>`: how a failed answer is counted (the code tells failures apart). */
export function failureOf(answer: HttpAnswer): string {
  let code = '';
  try {
    code = String((JSON.parse(answer.body) as { code?: unknown }).code ?? '');
  } catch {
    // Not a problem document: the status says enough.
  }
  return `HTTP ${answer.status}${code ? ` ${code}` : ''}`;
}
