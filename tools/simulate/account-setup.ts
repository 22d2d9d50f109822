import { pace } from './pacing';
import type { PixPlatform, SimAccount } from './pix-platform';

/**
 * Opens `count` funded accounts, `concurrency` at a time (each is three commands awaited in turn:
 * user, account, deposit). The first failure ends the set-up: payments between accounts that do
 * not all exist would measure nothing.
 */
export async function openAccounts(
  platform: PixPlatform,
  count: number,
  deposit: string,
  concurrency: number,
  onOpened: (opened: number) => void = () => undefined,
): Promise<SimAccount[]> {
  const accounts: SimAccount[] = [];
  let failure: unknown;
  // CPFs count up from a random start, so every user of every run has a distinct document.
  const documentBase = Math.floor(Math.random() * 5e8);
  await pace({
    rate: Infinity,
    total: count,
    maxInFlight: concurrency,
    send: async (i) => {
      if (failure !== undefined) return;
      try {
        accounts.push(await platform.openFundedAccount(i, deposit, documentBase + i));
        onOpened(accounts.length);
      } catch (error) {
        failure ??= error;
      }
    },
  });
  if (failure !== undefined) throw failure;
  return accounts;
}
