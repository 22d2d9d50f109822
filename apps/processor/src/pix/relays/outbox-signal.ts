import { Injectable } from '@nestjs/common';

/** Which relay a committed transaction gave work to. */
export type OutboxDestination = 'kafka' | 'rabbitmq';

/**
 * Tells this processor's outbox relays that a transaction has just committed rows for them, so a
 * relay sleeping between polls runs its next round now instead of after its backoff (up to
 * `PIX_OUTBOX_MAX_IDLE_MS`, 2 s by default, per hop, twice on a payment's way to settled).
 *
 * Only a hint: it carries no rows, and a relay that never hears it still finds every row by its
 * poll, so nothing depends on it for correctness (a row committed by another process is found the
 * same way). It must be sent **after** the commit: a relay woken earlier would not see the rows
 * and go back to sleep.
 */
@Injectable()
export class PixOutboxSignal {
  private readonly listeners = new Map<OutboxDestination, Set<() => void>>();

  /** Calls `listener` after each commit that wrote rows for `destination`; returns the unsubscribe. */
  subscribe(destination: OutboxDestination, listener: () => void): () => void {
    let set = this.listeners.get(destination);
    if (!set) {
      set = new Set();
      this.listeners.set(destination, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** A transaction that wrote rows for these destinations has committed. */
  committed(...destinations: OutboxDestination[]): void {
    for (const destination of destinations) {
      for (const listener of this.listeners.get(destination) ?? []) listener();
    }
  }
}
