import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { GatewayEnvironment } from '../../config/gateway.environment';
import { MicroBatcher } from '../../shared/micro-batcher';

/** A payment request about to be produced, with the ids it gets if its key is new. */
export interface PaymentRequestToRemember {
  tenantId: string;
  clientId: string;
  idempotencyKey: string;
  requestHash: string;
  paymentId: string;
  endToEndId: string;
  payerAccountId: string;
}

/** What the table says about a request's Idempotency-Key. */
export type RememberedRequest =
  /** The payer is not an account of the caller's tenant: nothing was written. */
  | { kind: 'unknown-payer' }
  /** The key is new: the request's ids are now its. */
  | { kind: 'new' }
  /** The key was used before: its first request's fingerprint and ids. */
  | { kind: 'known'; requestHash: string; paymentId: string; endToEndId: string };

interface KnownRow {
  request_hash: string;
  payment_id: string;
  end_to_end_id: string;
}

/** One per request of a batch; the `KnownRow` columns are null when no earlier row was seen. */
interface Row {
  ord: number;
  payer_known: boolean;
  inserted: boolean;
  request_hash: string | null;
  payment_id: string | null;
  end_to_end_id: string | null;
}

/**
 * The gateway's `pix_payment_requests` (one row per Idempotency-Key). Every payment request checks
 * its payer and claims its key, so the two are one statement, and concurrent requests share it
 * (group commit, as the command path's CommandStore does): one round trip and one WAL flush for
 * the requests that arrived together, not two round trips each.
 */
@Injectable()
export class PixPaymentRequests {
  private readonly claims: MicroBatcher<PaymentRequestToRemember, RememberedRequest>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    // Leave connections for the command path, reads and replies.
    this.claims = new MicroBatcher((requests) => this.claimAll(requests), {
      maxBatch: 1000,
      maxConcurrent: Math.max(1, Math.floor(config.get('GATEWAY_DB_POOL_SIZE') / 3)),
    });
  }

  /**
   * Writes the request's row when its payer is an account of its tenant and its key is new;
   * otherwise tells what is there. Nothing is written for an unknown payer.
   */
  remember(request: PaymentRequestToRemember): Promise<RememberedRequest> {
    return this.claims.add(request);
  }

  private async claimAll(requests: PaymentRequestToRemember[]): Promise<RememberedRequest[]> {
    const keyOf = (r: PaymentRequestToRemember) =>
      JSON.stringify([r.tenantId, r.clientId, r.idempotencyKey]);
    // Rows inserted in one key order: two statements claiming the same keys wait for each other
    // instead of deadlocking. Only a key's first request in the batch inserts; its repeats find
    // the row once the statement committed, like any later request.
    const sorted = requests
      .map((request, index) => ({ request, index, key: keyOf(request) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const first = sorted.map((s, i) => i === 0 || sorted[i - 1]?.key !== s.key);
    // The main query reads the table as it was before the statement: `r` is a row of an earlier
    // request, never the one inserted here.
    const rows = (await this.db.query(
      `WITH input AS (
         SELECT * FROM unnest($1::int[], $2::boolean[], $3::varchar[], $4::varchar[], $5::varchar[],
                              $6::char(64)[], $7::uuid[], $8::char(32)[], $9::uuid[])
           AS i(ord, is_first, tenant_id, client_id, idempotency_key, request_hash, payment_id,
                end_to_end_id, payer_account_id)
       ), payer AS (
         SELECT i.ord FROM input i
         WHERE EXISTS (SELECT 1 FROM accounts a WHERE a.id = i.payer_account_id AND a.tenant_id = i.tenant_id)
       ), inserted AS (
         INSERT INTO pix_payment_requests
           (tenant_id, client_id, idempotency_key, request_hash, payment_id, end_to_end_id, payer_account_id)
         SELECT i.tenant_id, i.client_id, i.idempotency_key, i.request_hash, i.payment_id,
                i.end_to_end_id, i.payer_account_id
         FROM input i JOIN payer p ON p.ord = i.ord
         WHERE i.is_first
         ORDER BY i.ord
         ON CONFLICT (tenant_id, client_id, idempotency_key) DO NOTHING
         RETURNING payment_id
       )
       SELECT i.ord, p.ord IS NOT NULL AS payer_known, n.payment_id IS NOT NULL AS inserted,
              r.request_hash, r.payment_id, r.end_to_end_id
       FROM input i
       LEFT JOIN payer p ON p.ord = i.ord
       LEFT JOIN inserted n ON n.payment_id = i.payment_id
       LEFT JOIN pix_payment_requests r
         ON r.tenant_id = i.tenant_id AND r.client_id = i.client_id AND r.idempotency_key = i.idempotency_key`,
      [
        sorted.map((_, i) => i),
        first,
        sorted.map((s) => s.request.tenantId),
        sorted.map((s) => s.request.clientId),
        sorted.map((s) => s.request.idempotencyKey),
        sorted.map((s) => s.request.requestHash),
        sorted.map((s) => s.request.paymentId),
        sorted.map((s) => s.request.endToEndId),
        sorted.map((s) => s.request.payerAccountId),
      ],
    )) as Row[];
    const byOrd = new Map(rows.map((row) => [row.ord, row]));
    const answers: RememberedRequest[] = new Array<RememberedRequest>(requests.length);
    const unseen: { index: number; request: PaymentRequestToRemember }[] = [];
    sorted.forEach((s, ord) => {
      const row = byOrd.get(ord);
      if (!row) throw new Error(`no answer for payment request ${ord} of a batch`);
      if (!row.payer_known) answers[s.index] = { kind: 'unknown-payer' };
      else if (row.inserted) answers[s.index] = { kind: 'new' };
      else if (row.request_hash !== null && row.payment_id !== null && row.end_to_end_id !== null) {
        const { request_hash, payment_id, end_to_end_id } = row;
        answers[s.index] = known({ request_hash, payment_id, end_to_end_id });
      }
      // A repeat in this batch, or a key another statement claimed while this one ran.
      else unseen.push(s);
    });
    for (const { index, request } of unseen) answers[index] = await this.find(request);
    return answers;
  }

  /** The committed row of a key this statement did not insert and could not see. */
  private async find(request: PaymentRequestToRemember): Promise<RememberedRequest> {
    const [row] = (await this.db.query(
      `SELECT request_hash, payment_id, end_to_end_id FROM pix_payment_requests
       WHERE tenant_id = $1 AND client_id = $2 AND idempotency_key = $3`,
      [request.tenantId, request.clientId, request.idempotencyKey],
    )) as KnownRow[];
    if (!row) throw new Error('an Idempotency-Key that conflicted has no payment request row');
    return known(row);
  }
}

function known(row: KnownRow): RememberedRequest {
  return {
    kind: 'known',
    requestHash: row.request_hash,
    paymentId: row.payment_id,
    endToEndId: row.end_to_end_id,
  };
}
