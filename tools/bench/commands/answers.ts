/**
 * What bench:commands accepts as an answer. Anything else is counted by reason and fails the run:
 * figures of requests that went wrong measure the wrong thing.
 */

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** `POST /users`: 202 with the command's correlation id, still PENDING. */
export function checkAccepted(status: number, body: string): Checked<{ correlationId: string }> {
  if (status !== 202) return { ok: false, problem: `HTTP ${status}` };
  const answer = parseObject(body);
  if (typeof answer?.['correlationId'] !== 'string' || answer['correlationId'] === '')
    return { ok: false, problem: '202 without a correlationId' };
  if (answer['status'] !== 'PENDING')
    return { ok: false, problem: `202 with status ${String(answer['status'])}` };
  return { ok: true, value: { correlationId: answer['correlationId'] } };
}

/** `GET /auth/whoami`: 200 naming the bench's own client and tenant. */
export function checkWhoAmI(
  status: number,
  body: string,
  expected: { clientId: string },
): Checked<{ tenantId: string }> {
  if (status !== 200) return { ok: false, problem: `HTTP ${status}` };
  const answer = parseObject(body);
  if (answer?.['clientId'] !== expected.clientId)
    return { ok: false, problem: '200 naming another client' };
  if (typeof answer['tenantId'] !== 'string' || !Array.isArray(answer['scopes']))
    return { ok: false, problem: '200 without tenantId and scopes' };
  return { ok: true, value: { tenantId: answer['tenantId'] } };
}

function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
