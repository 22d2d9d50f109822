import { GatewayError } from '../../shared/http-errors';

export class AccountNotFoundError extends GatewayError {
  readonly code = 'ACCOUNT.NOT_FOUND';
  readonly status = 404;
  readonly title = 'Account not found';
  constructor(accountId: string) {
    super(`No account with id ${accountId}`);
  }
}

/** A PIX key is unique per tenant: the 409 names the key and the field that carried it. */
export class PixKeyTakenError extends GatewayError {
  readonly code = 'ACCOUNT.PIX_KEY_TAKEN';
  readonly status = 409;
  readonly title = 'PIX key already registered';
  constructor(taken: { field: string; type: string; value: string }[]) {
    super(
      `Already registered in this tenant: ${taken.map((k) => `${k.type} key ${k.value} (${k.field})`).join(', ')}`,
    );
    this.extensions['keys'] = taken;
  }
}
