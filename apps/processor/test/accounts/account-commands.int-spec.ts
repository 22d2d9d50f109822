import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import { CqrsModule } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { KafkaMessage } from 'kafkajs';
import {
  ACCOUNT_COMMANDS,
  COMMAND_ERROR_CODES,
  createEnvelope,
  type CommandReplyData,
  type PlatformCommandDataByType,
  type AccountCommandType,
  type OpenAccountData,
} from '@event-hub/contracts';
import { ACCOUNT_COMMAND_HANDLERS } from '../../src/accounts/account-command.handlers';
import { CommandDispatcher } from '../../src/command-intake/command-dispatcher';
import { parseCommandMessage } from '../../src/command-intake/command-message.parser';
import { PixLedger } from '../../src/pix/ledger/pix-ledger';
import { PixFixtures, TENANT } from '../pix/support/pix-fixtures';

/**
 * The account commands as the processor applies them: a `user_events` record parsed against its
 * schema, dispatched through the CommandBus to the account handlers, applied by the ledger in the
 * real Postgres, answered COMPLETED or FAILED with a stable code.
 */
describe('account commands (real Postgres)', () => {
  let pix: PixFixtures;
  let dispatcher: CommandDispatcher;

  beforeAll(async () => {
    pix = await PixFixtures.create(`acc_cmds_${process.pid}`);
    const module = await Test.createTestingModule({
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: DataSource, useValue: pix.source },
        { provide: PixLedger, useValue: pix.ledger },
        ...ACCOUNT_COMMAND_HANDLERS,
        CommandDispatcher,
      ],
    }).compile();
    await module.init();
    dispatcher = module.get(CommandDispatcher);
  });

  afterAll(async () => {
    await pix?.close();
  });

  let offset = 0;
  function apply<T extends AccountCommandType>(
    type: T,
    data: PlatformCommandDataByType[T],
    eventId = randomUUID(),
    tenantId = TENANT,
  ): Promise<CommandReplyData> {
    const envelope = createEnvelope({
      eventType: type,
      source: 'gateway',
      data,
      eventId,
      tenantId,
      clientId: 'ops-client',
    });
    const message = {
      key: Buffer.from(randomUUID()),
      value: Buffer.from(JSON.stringify(envelope)),
      headers: {},
      offset: String(offset++),
      timestamp: String(Date.now()),
      attributes: 0,
    } as KafkaMessage;
    const record = parseCommandMessage(message);
    if (record.kind !== 'command') throw new Error(`not a command: ${record.error.message}`);
    return dispatcher.dispatch(record);
  }

  const open = (
    userId: string,
    keys: OpenAccountData['keys'] = [{ type: 'EVP', value: randomUUID() }],
  ) => {
    const accountId = randomUUID();
    return {
      accountId,
      reply: apply(ACCOUNT_COMMANDS.openAccount, { accountId, userId, keys }),
    };
  };

  const failureCode = (reply: CommandReplyData) =>
    reply.status === 'FAILED' ? reply.error.code : `COMPLETED ${JSON.stringify(reply.result)}`;

  const outboxOf = async (accountId: string) =>
    (
      await pix.source.query<{ topic: string; payload: string }[]>(
        `SELECT topic, payload FROM pix_outbox_records WHERE message_key = $1 ORDER BY id, position`,
        [accountId],
      )
    ).map((r) => ({ topic: r.topic, payload: JSON.parse(r.payload) as Record<string, unknown> }));

  it('opens an account for a user of the tenant, with its keys and a version 0 balance record', async () => {
    const userId = await pix.newUser();
    const email = `${randomUUID()}@example.com`;
    const { accountId, reply } = open(userId, [{ type: 'EMAIL', value: email }]);
    expect(await reply).toEqual({
      status: 'COMPLETED',
      command: ACCOUNT_COMMANDS.openAccount,
      result: { accountId, userId, keys: [{ type: 'EMAIL', value: email }] },
    });
    expect(await pix.accountRow(accountId)).toEqual({ balance: '0.00', version: '0' });
    const balances = (await outboxOf(accountId)).filter((r) => r.topic === 'account_balances');
    expect(balances.map((r) => [r.payload['balance'], r.payload['version']])).toEqual([
      ['0.00', 0],
    ]);
  });

  it('fails an unknown user, and a user of another tenant, with USER.NOT_FOUND', async () => {
    expect(failureCode(await open(randomUUID()).reply)).toBe(COMMAND_ERROR_CODES.userNotFound);
    const userId = await pix.newUser();
    const accountId = randomUUID();
    const elsewhere = await apply(
      ACCOUNT_COMMANDS.openAccount,
      { accountId, userId, keys: [] },
      randomUUID(),
      'other-tenant',
    );
    expect(failureCode(elsewhere)).toBe(COMMAND_ERROR_CODES.userNotFound);
  });

  it('fails a key registered in the tenant with ACCOUNT.PIX_KEY_TAKEN naming it, and opens nothing', async () => {
    const key = { type: 'EVP' as const, value: randomUUID() };
    expect((await open(await pix.newUser(), [key]).reply).status).toBe('COMPLETED');
    const second = open(await pix.newUser(), [{ type: 'EVP', value: randomUUID() }, key]);
    const reply = await second.reply;
    expect(failureCode(reply)).toBe(COMMAND_ERROR_CODES.pixKeyTaken);
    expect(reply.status === 'FAILED' && reply.error.message).toContain(key.value);
    expect(await pix.accountRow(second.accountId)).toBeUndefined();
  });

  it('answers a re-applied open the same, and refuses the id for another user', async () => {
    const userId = await pix.newUser();
    const accountId = randomUUID();
    const data = { accountId, userId, keys: [] };
    const first = await apply(ACCOUNT_COMMANDS.openAccount, data);
    expect(await apply(ACCOUNT_COMMANDS.openAccount, data)).toEqual(first);
    const other = await apply(ACCOUNT_COMMANDS.openAccount, {
      ...data,
      userId: await pix.newUser(),
    });
    expect(failureCode(other)).toBe(COMMAND_ERROR_CODES.accountAlreadyExists);
  });

  it('credits a deposit once per command event, however often it is applied', async () => {
    const { accountId, reply } = open(await pix.newUser());
    await reply;
    const eventId = randomUUID();
    const deposit = { accountId, accountTenantId: TENANT, amount: '150.25' };
    const result = { accountId, balance: '150.25', version: 1 };
    expect(await apply(ACCOUNT_COMMANDS.deposit, deposit, eventId)).toMatchObject({ result });
    expect(await apply(ACCOUNT_COMMANDS.deposit, deposit, eventId)).toMatchObject({ result });
    expect(await pix.accountRow(accountId)).toEqual({ balance: '150.25', version: '1' });
  });

  it('sets the balance absolutely with its reason in the ledger and the audit log', async () => {
    const { accountId, reply } = open(await pix.newUser());
    await reply;
    await apply(ACCOUNT_COMMANDS.deposit, { accountId, accountTenantId: TENANT, amount: '10.00' });
    const adjusted = await apply(ACCOUNT_COMMANDS.adjustBalance, {
      accountId,
      accountTenantId: TENANT,
      balance: '3.50',
      reason: 'duplicated credit',
    });
    expect(adjusted).toMatchObject({
      status: 'COMPLETED',
      result: { accountId, balance: '3.50', version: 2 },
    });
    const [entry] = await pix.source.query(
      `SELECT kind, previous_balance, balance, reason, actor FROM account_entries
       WHERE account_id = $1 AND kind = 'adjustment'`,
      [accountId],
    );
    expect(entry).toEqual({
      kind: 'adjustment',
      previous_balance: '10.00',
      balance: '3.50',
      reason: 'duplicated credit',
      actor: `ops-client@${TENANT}`,
    });
    const balances = (await outboxOf(accountId)).filter((r) => r.topic === 'account_balances');
    expect(balances.at(-1)?.payload).toMatchObject({ balance: '3.50', version: 2 });
    const audit = await pix.source.query<{ payload: string }[]>(
      `SELECT payload FROM pix_outbox_records WHERE topic = 'pix.audit.log' AND message_key = $1 ORDER BY id DESC, position DESC LIMIT 1`,
      [accountId],
    );
    expect(JSON.parse(audit[0]?.payload ?? '{}')).toMatchObject({
      data: {
        what: 'account.adjustment',
        previousState: '10.00',
        newState: '3.50',
        detail: { reason: 'duplicated credit' },
      },
    });
  });

  it('fails a negative balance, a non-positive deposit and an overflowing one, changing nothing', async () => {
    const { accountId, reply } = open(await pix.newUser());
    await reply;
    const change = { accountId, accountTenantId: TENANT };
    expect(
      failureCode(
        await apply(ACCOUNT_COMMANDS.adjustBalance, { ...change, balance: '-1.00', reason: 'x' }),
      ),
    ).toBe(COMMAND_ERROR_CODES.negativeBalance);
    expect(failureCode(await apply(ACCOUNT_COMMANDS.deposit, { ...change, amount: '0.00' }))).toBe(
      COMMAND_ERROR_CODES.invalidAmount,
    );
    await apply(ACCOUNT_COMMANDS.adjustBalance, {
      ...change,
      balance: '9999999999999999.00',
      reason: 'near the top',
    });
    expect(failureCode(await apply(ACCOUNT_COMMANDS.deposit, { ...change, amount: '1.00' }))).toBe(
      COMMAND_ERROR_CODES.invalidAmount,
    );
    expect(await pix.accountRow(accountId)).toEqual({
      balance: '9999999999999999.00',
      version: '1',
    });
  });

  it('fails changes to an unknown account, or one of another tenant, with ACCOUNT.NOT_FOUND', async () => {
    const { accountId, reply } = open(await pix.newUser());
    await reply;
    for (const [id, tenant] of [
      [randomUUID(), TENANT],
      [accountId, 'other-tenant'],
    ] as const) {
      const change = { accountId: id, accountTenantId: tenant };
      expect(
        failureCode(await apply(ACCOUNT_COMMANDS.deposit, { ...change, amount: '1.00' })),
      ).toBe(COMMAND_ERROR_CODES.accountNotFound);
      expect(
        failureCode(
          await apply(ACCOUNT_COMMANDS.adjustBalance, { ...change, balance: '1.00', reason: 'x' }),
        ),
      ).toBe(COMMAND_ERROR_CODES.accountNotFound);
    }
  });

  describe('closing', () => {
    const balanceRecordsOf = (accountId: string) =>
      pix.source.query<{ payload: string | null; headers: Record<string, string> }[]>(
        `SELECT payload, headers FROM pix_outbox_records
         WHERE topic = 'account_balances' AND message_key = $1 ORDER BY id, position`,
        [accountId],
      );

    it('closes an account at 0.00 and writes its tombstone after its balance records', async () => {
      const { accountId, reply } = open(await pix.newUser());
      await reply;
      const change = { accountId, accountTenantId: TENANT };
      await apply(ACCOUNT_COMMANDS.deposit, { ...change, amount: '5.00' });
      await apply(ACCOUNT_COMMANDS.adjustBalance, { ...change, balance: '0.00', reason: 'out' });

      const closed = await apply(ACCOUNT_COMMANDS.closeAccount, { accountId });

      expect(closed).toMatchObject({
        status: 'COMPLETED',
        command: ACCOUNT_COMMANDS.closeAccount,
        result: { accountId, closedAt: expect.stringMatching(/^\d{4}-.*Z$/) },
      });
      const records = await balanceRecordsOf(accountId);
      expect(records.map((r) => r.payload && JSON.parse(r.payload).version)).toEqual([
        0,
        1,
        2,
        null,
      ]);
      expect(records.at(-1)?.headers).toMatchObject({ 'tenant-id': TENANT });
      const [row] = await pix.source.query(
        'SELECT closed_at IS NOT NULL AS closed FROM accounts WHERE id = $1',
        [accountId],
      );
      expect(row).toEqual({ closed: true });
      const audit = await pix.source.query<{ payload: string }[]>(
        `SELECT payload FROM pix_outbox_records WHERE topic = 'pix.audit.log' AND message_key = $1 ORDER BY id DESC, position DESC LIMIT 1`,
        [accountId],
      );
      expect(JSON.parse(audit[0]?.payload ?? '{}')).toMatchObject({
        data: { what: 'account.closed', previousState: 'open', newState: 'closed' },
      });
    });

    it('answers a repeated close as the first one, without a second tombstone', async () => {
      const { accountId, reply } = open(await pix.newUser());
      await reply;
      const first = await apply(ACCOUNT_COMMANDS.closeAccount, { accountId });
      expect(await apply(ACCOUNT_COMMANDS.closeAccount, { accountId })).toEqual(first);
      expect((await balanceRecordsOf(accountId)).filter((r) => r.payload === null)).toHaveLength(1);
    });

    it('refuses a close while the balance is not 0.00 with ACCOUNT.BALANCE_NOT_ZERO, changing nothing', async () => {
      const { accountId, reply } = open(await pix.newUser());
      await reply;
      await apply(ACCOUNT_COMMANDS.deposit, { accountId, accountTenantId: TENANT, amount: '0.01' });

      const refused = await apply(ACCOUNT_COMMANDS.closeAccount, { accountId });

      expect(failureCode(refused)).toBe(COMMAND_ERROR_CODES.balanceNotZero);
      expect(refused.status === 'FAILED' && refused.error.message).toContain('0.01');
      expect(await pix.accountRow(accountId)).toEqual({ balance: '0.01', version: '1' });
      expect((await balanceRecordsOf(accountId)).every((r) => r.payload !== null)).toBe(true);
    });

    it('refuses deposits and adjustments of a closed account with ACCOUNT.CLOSED', async () => {
      const { accountId, reply } = open(await pix.newUser());
      await reply;
      await apply(ACCOUNT_COMMANDS.closeAccount, { accountId });
      const change = { accountId, accountTenantId: TENANT };
      expect(
        failureCode(await apply(ACCOUNT_COMMANDS.deposit, { ...change, amount: '1.00' })),
      ).toBe(COMMAND_ERROR_CODES.accountClosed);
      expect(
        failureCode(
          await apply(ACCOUNT_COMMANDS.adjustBalance, { ...change, balance: '1.00', reason: 'x' }),
        ),
      ).toBe(COMMAND_ERROR_CODES.accountClosed);
      expect(await pix.accountRow(accountId)).toEqual({ balance: '0.00', version: '1' });
    });

    it('fails a close of an unknown account, or of another tenant, with ACCOUNT.NOT_FOUND', async () => {
      const { accountId, reply } = open(await pix.newUser());
      await reply;
      expect(
        failureCode(await apply(ACCOUNT_COMMANDS.closeAccount, { accountId: randomUUID() })),
      ).toBe(COMMAND_ERROR_CODES.accountNotFound);
      expect(
        failureCode(
          await apply(ACCOUNT_COMMANDS.closeAccount, { accountId }, randomUUID(), 'other-tenant'),
        ),
      ).toBe(COMMAND_ERROR_CODES.accountNotFound);
      expect(await pix.accountRow(accountId)).toEqual({ balance: '0.00', version: '0' });
    });
  });
});
