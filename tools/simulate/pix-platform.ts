import { randomUUID } from 'node:crypto';
import { cpfOf } from '@event-hub/testing';
import { failureOf, type HttpAnswer, type HttpClient } from '../bench/proxy/http-client';
import type { BenchCaller } from '../bench/proxy/platform';

/** An answer the simulator did not expect; `reason` is how it is counted. */
export class UnexpectedAnswer extends Error {
  constructor(
    readonly reason: string,
    detail: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}

/** How a failed call is counted: its {@link UnexpectedAnswer} reason, or that no answer came. */
export function reasonOf(error: unknown): string {
  if (error instanceof UnexpectedAnswer) return error.reason;
  return `no answer (${error instanceof Error ? error.message : String(error)})`;
}

/** An account the simulator opened, with the PIX keys others pay it by. */
export interface SimAccount {
  id: string;
  keys: { type: 'EVP' | 'EMAIL'; value: string }[];
}

export interface PaymentRequest {
  idempotencyKey: string;
  payerAccountId: string;
  receiverKey: { type: string; value: string };
  amount: string;
}

interface AcceptedCommand {
  correlationId: string;
  statusUrl: string;
  accountId?: string;
}

interface CommandStatus {
  status: 'PENDING' | 'COMPLETED' | 'FAILED';
  result?: Record<string, unknown>;
  error?: { code: string };
}

const COMMAND_POLL_MS = 100;
const COMMAND_TIMEOUT_MS = 60000;

/**
 * The gateway routes the simulator uses, as a tenant's client (`caller`, events:produce) and an
 * operator (`operator`, admin: deposits). Every answer but the documented success throws
 * {@link UnexpectedAnswer}.
 */
export class PixPlatform {
  constructor(
    private readonly http: HttpClient,
    private readonly caller: BenchCaller,
    private readonly operator: BenchCaller,
    /** Distinguishes this run's users, keys and idempotency keys from other runs'. */
    private readonly runId: string,
  ) {}

  /** A user, its account with an EVP and an e-mail key, and an operator deposit of `deposit`. */
  async openFundedAccount(
    index: number,
    deposit: string,
    documentNumber: number,
  ): Promise<SimAccount> {
    const email = `sim-${this.runId}-${index}@example.com`;
    const user = await this.completed(this.caller, 'POST /users', '/users', {
      name: `Simulated User ${index}`,
      email,
      document: cpfOf(documentNumber),
    });
    const userId = String(user.result['userId']);
    const keys: SimAccount['keys'] = [
      { type: 'EVP', value: randomUUID() },
      { type: 'EMAIL', value: email },
    ];
    const account = await this.completed(this.caller, 'POST /accounts', '/accounts', {
      userId,
      pixKeys: keys,
    });
    const id = account.accepted.accountId;
    if (!id)
      throw new UnexpectedAnswer(
        'POST /accounts 202 without accountId',
        JSON.stringify(account.accepted),
      );
    await this.completed(
      this.operator,
      'POST /accounts/:id/deposits',
      `/accounts/${id}/deposits`,
      { amount: deposit },
      { 'idempotency-key': `sim-${this.runId}-deposit-${index}` },
    );
    return { id, keys };
  }

  /** POST /pix/payments; the 202's payment id. */
  async pay(payment: PaymentRequest): Promise<string> {
    const answer = await this.http.send(
      'POST',
      '/pix/payments',
      {
        ...this.caller.headers,
        'content-type': 'application/json',
        'idempotency-key': payment.idempotencyKey,
      },
      JSON.stringify({
        payerAccountId: payment.payerAccountId,
        receiverKey: payment.receiverKey,
        amount: payment.amount,
        description: 'simulated',
      }),
    );
    const paymentId =
      answer.status === 202 ? parse<{ paymentId?: unknown }>(answer)?.paymentId : undefined;
    if (typeof paymentId !== 'string') throw unexpected('POST /pix/payments', answer);
    return paymentId;
  }

  /** GET /pix/payments/:id: the body of its 200. */
  async payment(paymentId: string): Promise<string> {
    const answer = await this.http.send('GET', `/pix/payments/${paymentId}`, this.caller.headers);
    if (answer.status !== 200) throw unexpected('GET /pix/payments/:id', answer);
    return answer.body;
  }

  /** Sends a command and polls its status URL until COMPLETED; FAILED or a timeout throws. */
  private async completed(
    as: BenchCaller,
    what: string,
    path: string,
    body: object,
    headers: Record<string, string> = {},
  ): Promise<{ accepted: AcceptedCommand; result: Record<string, unknown> }> {
    const answer = await this.http.send(
      'POST',
      path,
      { ...as.headers, ...headers, 'content-type': 'application/json' },
      JSON.stringify(body),
    );
    const accepted = answer.status === 202 ? parse<AcceptedCommand>(answer) : undefined;
    if (!accepted?.statusUrl) throw unexpected(what, answer);
    const deadline = Date.now() + COMMAND_TIMEOUT_MS;
    for (;;) {
      const statusAnswer = await this.http.send('GET', accepted.statusUrl, as.headers);
      const status = statusAnswer.status === 200 ? parse<CommandStatus>(statusAnswer) : undefined;
      if (!status) throw unexpected(`GET ${accepted.statusUrl}`, statusAnswer);
      if (status.status === 'COMPLETED') return { accepted, result: status.result ?? {} };
      if (status.status === 'FAILED') {
        throw new UnexpectedAnswer(
          `${what} FAILED ${status.error?.code ?? ''}`.trim(),
          statusAnswer.body,
        );
      }
      if (Date.now() > deadline) {
        throw new UnexpectedAnswer(`${what} still PENDING`, `after ${COMMAND_TIMEOUT_MS} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, COMMAND_POLL_MS));
    }
  }
}

function unexpected(what: string, answer: HttpAnswer): UnexpectedAnswer {
  return new UnexpectedAnswer(`${what} ${failureOf(answer)}`, answer.body.slice(0, 300));
}

function parse<T>(answer: HttpAnswer): T | undefined {
  try {
    return JSON.parse(answer.body) as T;
  } catch {
    return undefined;
  }
}
