import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import { waitFor } from '@event-hub/testing';
import { ExpiredRowsCleanup, expiredRowsCleanup } from './expired-rows-cleanup';

@Injectable()
class KeyStore {
  deleted: number[] = [];
  failing = false;

  async purge(): Promise<number> {
    if (this.failing) throw new Error('Postgres is down');
    this.deleted.push(3);
    return 3;
  }
}

async function cleanupOf(intervalMs: number) {
  const moduleRef = await Test.createTestingModule({
    providers: [
      KeyStore,
      { provide: ConfigService, useValue: { get: () => intervalMs } },
      expiredRowsCleanup('test keys', KeyStore, (store) => store.purge()),
    ],
  }).compile();
  return {
    app: moduleRef,
    store: moduleRef.get(KeyStore),
    cleanup: moduleRef.get<ExpiredRowsCleanup>('cleanup of expired test keys'),
  };
}

describe('expired rows cleanup', () => {
  it('deletes through the feature’s store and says how many rows went', async () => {
    const { store, cleanup } = await cleanupOf(60_000);
    await expect(cleanup.deleteExpired()).resolves.toBe(3);
    expect(store.deleted).toEqual([3]);
  });

  it('counts a failed round as nothing deleted, to be tried again at the next one', async () => {
    const { store, cleanup } = await cleanupOf(60_000);
    store.failing = true;
    await expect(cleanup.deleteExpired()).resolves.toBe(0);
    store.failing = false;
    await expect(cleanup.deleteExpired()).resolves.toBe(3);
  });

  it('runs every interval once the application has started, and stops with it', async () => {
    const { app, store } = await cleanupOf(20);
    await app.init();
    // However late a loaded machine runs the timers, two rounds come, and none after the close.
    await waitFor(() => store.deleted.length >= 2, { timeoutMs: 5000, intervalMs: 5 });
    await app.close();
    const rounds = store.deleted.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(store.deleted).toHaveLength(rounds);
  });
});
