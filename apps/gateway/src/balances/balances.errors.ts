import { GatewayError } from '../shared/http-errors';

export class AccountNotFoundError extends GatewayError {
  readonly code = 'BALANCE.ACCOUNT_NOT_FOUND';
  readonly status = 404;
  readonly title = 'Unknown account';
  constructor(accountId: string) {
    super(`No balance is known for account ${accountId}`);
  }
}

/** The view has not (yet) read the topic up to where it was at start: its answer could be old. */
export class BalancesNotReadyError extends GatewayError {
  readonly code = 'BALANCE.VIEW_NOT_READY';
  readonly status = 503;
  readonly title = 'Balance view catching up';
  override readonly retryAfterSeconds = 1;
  constructor() {
    super('The balance view is still reading the balance topic; retry shortly');
  }
}

/**
 * `minVersion` not reached within the wait. 503 (retry), not 409: nothing conflicts, the write the
 * client saw settled simply has not reached this view yet.
 */
export class BalanceVersionNotVisibleError extends GatewayError {
  readonly code = 'BALANCE.VERSION_NOT_YET_VISIBLE';
  readonly status = 503;
  readonly title = 'Balance version not yet visible';
  override readonly retryAfterSeconds = 1;
  constructor(accountId: string, minVersion: number, waitedMs: number, current?: number) {
    super(
      `Account ${accountId} did not reach version ${minVersion} within ${waitedMs} ms` +
        (current === undefined ? '' : ` (the view holds version ${current})`),
    );
    this.extensions['minVersion'] = minVersion;
    if (current !== undefined) this.extensions['currentVersion'] = current;
  }
}
