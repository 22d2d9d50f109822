import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ACCOUNT_COMMANDS } from '../commands/account-commands';
import { USER_COMMANDS } from '../commands/user-commands';
import { createEnvelope } from '../envelope/event-envelope';
import { PIX_EVENT_TYPES, PIX_STAGE_TOPICS } from '../pix/pix-event-schemas';
import { PIX_ROUTING_KEYS } from '../pix/pix-notifications';
import { COMMAND_REPLIES } from '../replies/command-reply';
import { USAGE_EVENT_TYPE } from '../usage/usage-event';
import { platformSchemas } from './platform-event-schemas';
import { isSchemaSubject } from './schema-subject';

const compile = (schema: object) => addFormats(new Ajv({ strict: true })).compile(schema);
const schemaOf = (subject: string): object => {
  const found = platformSchemas().find((s) => s.subject === subject);
  if (!found) throw new Error(`no platform schema ${subject}`);
  return found.schema;
};
const id = '7d7e6a1c-3b0e-4c6b-9a51-1f1f3f7f0a11';

describe('platform event schemas', () => {
  it('are strict draft-07 schemas under valid, distinct subject names', () => {
    const schemas = platformSchemas();
    expect(new Set(schemas.map((s) => s.subject)).size).toBe(schemas.length);
    for (const { subject, schema } of schemas) {
      expect(isSchemaSubject(subject)).toBe(true);
      expect(() => compile(schema)).not.toThrow();
    }
  });

  it('accept the commands, replies and usage events the platform writes', () => {
    const command = createEnvelope({
      eventType: USER_COMMANDS.recordPayment,
      source: 'gateway',
      data: { userId: id, paymentId: id, amount: '149.90', currency: 'BRL', method: 'pix' },
    });
    const reply = createEnvelope({
      eventType: COMMAND_REPLIES.failed,
      source: 'processor',
      data: { status: 'FAILED', command: command.eventType, error: { code: 'X', message: 'y' } },
    });
    const usage = createEnvelope({
      eventType: USAGE_EVENT_TYPE,
      source: 'gateway',
      data: {
        tenant: 'acme',
        topic: 'orders',
        clientId: 'c1',
        action: 'produce',
        messages: 2,
        bytes: 10,
        eventTime: new Date().toISOString(),
      },
    });
    expect(compile(schemaOf('user_events-value'))(command)).toBe(true);
    expect(compile(schemaOf('response_events-value'))(reply)).toBe(true);
    expect(compile(schemaOf('usage_events-value'))(usage)).toBe(true);
    expect(compile(schemaOf('event-envelope'))(usage)).toBe(true);
  });

  it('accept the account commands on user_events and check their data', () => {
    const adjust = createEnvelope({
      eventType: ACCOUNT_COMMANDS.adjustBalance,
      source: 'gateway',
      data: { accountId: id, accountTenantId: 'acme', balance: '42.50', reason: 'fix' },
    });
    expect(compile(schemaOf('user_events-value'))(adjust)).toBe(true);
    const validate = compile(schemaOf('accounts.deposit-data'));
    expect(validate({ accountId: id, accountTenantId: 'acme', amount: '10.00' })).toBe(true);
    // A JSON number has already been through a binary float: money is a decimal string.
    expect(validate({ accountId: id, accountTenantId: 'acme', amount: 10 })).toBe(false);
    expect(
      compile(schemaOf('accounts.open_account-data'))({
        accountId: id,
        userId: id,
        keys: [{ type: 'IBAN', value: 'x' }],
      }),
    ).toBe(false);
  });

  it('publish every PIX stage topic, every PIX event type and the balances topic', () => {
    const subjects = platformSchemas().map((s) => s.subject);
    expect(subjects).toEqual(
      expect.arrayContaining([
        ...PIX_STAGE_TOPICS.map((topic) => `${topic}-value`),
        ...PIX_EVENT_TYPES.map((type) => `${type}-data`),
        'account_balances-value',
      ]),
    );
    const settled = createEnvelope({
      eventType: PIX_ROUTING_KEYS.settled,
      source: 'processor',
      tenantId: 'acme',
      data: {
        paymentId: id,
        endToEndId: 'E12345678202612061530AbCdEfGhIjK',
        payerAccountId: id,
        receiverAccountId: id,
        amount: '150.00',
        state: 'settled',
      },
    });
    expect(compile(schemaOf('pix.payment.settled-value'))(settled)).toBe(true);
    // Every PIX event belongs to a tenant, and a stage topic carries only its own events.
    expect(
      compile(schemaOf('pix.payment.settled-value'))({ ...settled, tenantId: undefined }),
    ).toBe(false);
    expect(compile(schemaOf('pix.payment.validated-value'))(settled)).toBe(false);
    expect(compile(schemaOf('pix.payment.rejected-data'))(settled.data)).toBe(false);
    const balance = compile(schemaOf('account_balances-value'));
    const record = {
      accountId: id,
      tenantId: 'acme',
      balance: '10.00',
      version: 3,
      updatedAt: new Date().toISOString(),
    };
    expect(balance(record)).toBe(true);
    expect(balance({ ...record, balance: 10 })).toBe(false);
  });

  it('reject an event on the wrong topic and a payload missing a field', () => {
    const usageOnUserEvents = createEnvelope({
      eventType: USAGE_EVENT_TYPE,
      source: 'gateway',
      data: {},
    });
    expect(compile(schemaOf('user_events-value'))(usageOnUserEvents)).toBe(false);
    expect(compile(schemaOf('users.create_user-data'))({ userId: id, name: 'Ana' })).toBe(false);
  });
});
