import { randomUUID } from 'node:crypto';
import { PIX_DATA_ENTITIES, PIX_DATA_MIGRATIONS, type PixKeyType } from '@event-hub/pix-data';
import { createTestDatabase, randomCpf, type TestDatabase } from '@event-hub/testing';
import { USER_DATA_ENTITIES, USER_DATA_MIGRATIONS } from '@event-hub/user-data';
import { DataSource } from 'typeorm';
import {
  PixLedger,
  type PaymentRequest,
  type SettlementOutcome,
} from '../../../src/pix/ledger/pix-ledger';
import { insertOutbox, type OutboxRecord } from '../../../src/pix/ledger/outbox-records';
import { inTransaction } from '../../../src/pix/ledger/retry-conflicts';

export const TENANT = 'acme';

/** A database of its own with the user and PIX tables, and a ledger writing to it. */
export class PixFixtures {
  private constructor(
    private readonly db: TestDatabase,
    readonly source: DataSource,
    readonly ledger: PixLedger,
  ) {}

  static async create(name: string): Promise<PixFixtures> {
    const db = await createTestDatabase(name);
    const source = await new DataSource({
      type: 'postgres',
      url: db.url,
      entities: [...USER_DATA_ENTITIES, ...PIX_DATA_ENTITIES],
      migrations: [...USER_DATA_MIGRATIONS, ...PIX_DATA_MIGRATIONS],
      migrationsTableName: `${name}_test_migrations`,
      extra: { max: 10 },
    }).initialize();
    await source.runMigrations({ transaction: 'each' });
    return new PixFixtures(db, source, new PixLedger(source));
  }

  async close(): Promise<void> {
    await this.source.destroy();
    await this.db.drop();
  }

  async newUser(): Promise<string> {
    const id = randomUUID();
    await this.source.query(
      `INSERT INTO users (id, tenant_id, name, email, document) VALUES ($1, $2, 'Ana', $3, $4)`,
      [id, TENANT, `${id}@example.com`, randomCpf()],
    );
    return id;
  }

  /** Opens an account with an EVP key, credited with `balance` if given. */
  async openAccount(balance?: string): Promise<string> {
    const accountId = randomUUID();
    const outcome = await this.ledger.openAccount({
      accountId,
      tenantId: TENANT,
      userId: await this.newUser(),
      keys: [{ type: 'EVP', value: randomUUID() }],
      actor: 'ehc_test',
    });
    if (outcome !== 'opened') throw new Error(`account not opened: ${outcome}`);
    if (balance) {
      await this.ledger.deposit({
        entryId: randomUUID(),
        accountId,
        tenantId: TENANT,
        actor: 'op',
        amount: balance,
      });
    }
    return accountId;
  }

  async accountRow(id: string): Promise<{ balance: string; version: string }> {
    const [row] = await this.source.query('SELECT balance, version FROM accounts WHERE id = $1', [
      id,
    ]);
    return row;
  }

  /** The EVP key {@link openAccount} gave the account. */
  async keyOf(accountId: string): Promise<{ type: PixKeyType; value: string }> {
    const [key] = await this.source.query(
      'SELECT type, value FROM pix_keys WHERE account_id = $1 LIMIT 1',
      [accountId],
    );
    return key;
  }

  /** A payment recorded as requested, as the antifraud stage finds it. */
  async requestPayment(
    payer: string,
    receiverKey: { type: PixKeyType; value: string },
    amount: string,
  ): Promise<string> {
    const request = this.newRequest(payer, receiverKey, amount);
    await this.recordRequest(request);
    return request.paymentId;
  }

  /**
   * Records a request in a transaction of its own, as the antifraud stage records a chunk's
   * (a redelivered request records nothing); answers whether it was new.
   */
  recordRequest(request: PaymentRequest): Promise<boolean> {
    return inTransaction(this.source, async (m) => {
      const outbox: OutboxRecord[] = [];
      const recorded = await this.ledger.recordRequestsIn(
        m,
        [{ ...request, actor: 'ehc_test' }],
        outbox,
      );
      insertOutbox(m, outbox);
      return recorded.has(request.paymentId);
    });
  }

  /** Settles one validated payment, as the settlement stage settles a chunk of one. */
  async settle(paymentId: string): Promise<SettlementOutcome> {
    const [outcome] = await this.ledger.settleAll([{ paymentId }], 'settlement');
    return outcome as SettlementOutcome;
  }

  /** A payment request as the gateway would send it, with fresh ids and keys. */
  newRequest(
    payer: string,
    receiverKey: { type: PixKeyType; value: string },
    amount: string,
  ): PaymentRequest {
    return {
      paymentId: randomUUID(),
      tenantId: TENANT,
      endToEndId: `E12345678202612061300${randomUUID().replace(/-/g, '').slice(0, 11)}`,
      clientId: 'ehc_test',
      idempotencyKey: randomUUID(),
      payerAccountId: payer,
      receiverKey,
      amount,
      description: null,
    };
  }

  /** A payment recorded and validated towards `receiver`, ready to settle. */
  async validatedPayment(payer: string, receiver: string, amount: string): Promise<string> {
    const paymentId = await this.requestPayment(
      payer,
      { type: 'EVP', value: randomUUID() },
      amount,
    );
    const decision = await this.ledger.decide(
      paymentId,
      { receiverAccountId: receiver },
      'antifraud',
    );
    if (decision !== 'validated') throw new Error(`payment not validated: ${decision}`);
    return paymentId;
  }
}
