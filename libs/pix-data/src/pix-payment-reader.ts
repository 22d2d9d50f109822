import type { DataSource } from 'typeorm';
import type { PixPaymentState } from './constraints';

export interface PaymentView {
  id: string;
  endToEndId: string;
  payerAccountId: string;
  receiverAccountId: string | null;
  amount: string;
  description: string | null;
  state: PixPaymentState;
  rejectionCode: string | null;
  createdAt: string;
}

export interface PaymentWithTimeline extends PaymentView {
  timeline: { stage: string; at: string; detail: string | null }[];
}

export interface StatementPage {
  items: (PaymentView & { direction: 'debit' | 'credit' })[];
  /** Pass back as `after` for the next page; absent on the last one. */
  next?: string;
}

interface PaymentRow {
  id: string;
  end_to_end_id: string;
  payer_account_id: string;
  receiver_account_id: string | null;
  amount: string;
  description: string | null;
  state: PixPaymentState;
  rejection_code: string | null;
  created_at: Date;
}

const COLUMNS = `id, end_to_end_id, payer_account_id, receiver_account_id, amount, description, state,
  rejection_code, created_at`;

/**
 * Tenant-scoped reads of payments for the gateway: one payment with its stage timeline, and an
 * account's statement newest first, paged by a keyset cursor (stable while payments keep coming).
 */
export class PixPaymentReader {
  constructor(private readonly source: DataSource) {}

  async payment(tenantId: string, id: string): Promise<PaymentWithTimeline | undefined> {
    const [row]: PaymentRow[] = await this.source.query(
      `SELECT ${COLUMNS} FROM pix_payments WHERE id = $1 AND tenant_id = $2`,
      [id, tenantId],
    );
    if (!row) return undefined;
    const stages: { stage: string; at: Date; detail: string | null }[] = await this.source.query(
      'SELECT stage, at, detail FROM pix_payment_stages WHERE payment_id = $1 ORDER BY at, stage',
      [id],
    );
    return {
      ...view(row),
      timeline: stages.map((s) => ({ stage: s.stage, at: s.at.toISOString(), detail: s.detail })),
    };
  }

  async statement(
    tenantId: string,
    accountId: string,
    limit: number,
    after?: string,
  ): Promise<StatementPage> {
    const cursor = after ? decodeCursor(after) : undefined;
    // The cursor keeps created_at to the microsecond (its text form): a JavaScript Date would
    // round it to the millisecond and page over rows created within the same millisecond.
    const rows: (PaymentRow & { created_at_exact: string })[] = await this.source.query(
      `SELECT *, created_at::text AS created_at_exact FROM (
         SELECT ${COLUMNS} FROM pix_payments WHERE tenant_id = $1 AND payer_account_id = $2
         UNION
         SELECT ${COLUMNS} FROM pix_payments WHERE tenant_id = $1 AND receiver_account_id = $2
       ) p
       WHERE $3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid)
       ORDER BY created_at DESC, id DESC LIMIT $5`,
      [tenantId, accountId, cursor?.at ?? null, cursor?.id ?? null, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        ...view(r),
        direction: r.payer_account_id === accountId ? 'debit' : 'credit',
      })),
      ...(rows.length > limit && last ? { next: encodeCursor(last) } : {}),
    };
  }
}

function view(row: PaymentRow): PaymentView {
  return {
    id: row.id,
    endToEndId: row.end_to_end_id,
    payerAccountId: row.payer_account_id,
    receiverAccountId: row.receiver_account_id,
    amount: row.amount,
    description: row.description,
    state: row.state,
    rejectionCode: row.rejection_code,
    createdAt: row.created_at.toISOString(),
  };
}

function encodeCursor(row: PaymentRow & { created_at_exact: string }): string {
  return Buffer.from(`${row.created_at_exact}|${row.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!at || !id || Number.isNaN(Date.parse(at))) throw new Error('not a statement cursor');
  return { at, id };
}
