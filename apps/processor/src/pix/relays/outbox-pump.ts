import { Logger } from '@nestjs/common';

/** What one relay round did: how many records it published, and how many rows it had to put back. */
export interface PumpRound {
  /** Records published. */
  published: number;
  /** Rows those records took, when a row may hold several (else one each). */
  rows?: number;
  failed: number;
  error?: string;
}

export interface OutboxPumpOptions {
  /** Rows one round takes at most: a full round means more are waiting, so the next runs at once. */
  batchSize: number;
  /** First wait after an empty or failed round; doubles while rounds stay empty, up to `maxIdleMs`. */
  idleMs: number;
  maxIdleMs: number;
  /**
   * Whether a round with nothing to publish clears a failure. True for a relay whose failed rows
   * stay due (an empty round means the backlog is gone); false for one that postpones failed rows
   * (an empty round only means none is due yet, so only a publication proves the destination back).
   */
  emptyRoundClears: boolean;
}

export interface PumpStatus {
  running: boolean;
  /** Rounds in a row that failed (a round that threw or could not publish its rows). */
  consecutiveFailures: number;
  lastError?: string;
  lastFailureAt?: string;
  lastSuccessAt?: string;
}

/**
 * Drives one outbox relay: rounds back to back while they come back full, a short growing pause
 * while there is nothing to send (so a quiet outbox costs a cheap query every `maxIdleMs` at most,
 * while a new row waits `idleMs` right after activity). {@link nudge} (a commit in this process
 * wrote rows) ends the pause at once, or, during a round, makes the next round start right after
 * it: the pause is only the fallback poll for rows nobody announced (a failed round's backoff is
 * not cut short). `stop()` lets the round under way finish, so its rows are either marked sent or left pending, never half-handled when the producer and
 * the database close behind it.
 */
export class OutboxPump {
  private readonly logger: Logger;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  /** Rows were announced since the last round started: the next round runs without a pause. */
  private nudged = false;
  /** The pause under way follows a failed round: a nudge does not cut the backoff short. */
  private backingOff = false;
  private readonly state: PumpStatus = { running: false, consecutiveFailures: 0 };
  /** The last failure put rows back (the destination refused them), rather than the round throwing. */
  private rowsPutBack = false;

  constructor(
    name: string,
    private readonly round: () => Promise<PumpRound>,
    private readonly options: OutboxPumpOptions,
    private readonly observe: (round: PumpRound) => void = () => undefined,
  ) {
    this.logger = new Logger(name);
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.state.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    this.state.running = false;
  }

  /**
   * Rows were committed for this relay: the pause under way ends now; during a round (which may
   * have looked before they were visible) the next one starts as soon as it ends. Many nudges
   * during one round make one more round, not one each.
   */
  nudge(): void {
    this.nudged = true;
    if (!this.backingOff) this.wake?.();
  }

  status(): PumpStatus {
    return { ...this.state };
  }

  private async run(): Promise<void> {
    let idle = this.options.idleMs;
    while (!this.stopping) {
      this.nudged = false;
      const outcome = await this.safeRound();
      this.observe(outcome);
      if (outcome.failed > 0 || outcome.error !== undefined) {
        this.state.consecutiveFailures += 1;
        this.state.lastError = outcome.error;
        this.state.lastFailureAt = new Date().toISOString();
        this.rowsPutBack = outcome.failed > 0;
      } else if (outcome.published > 0 || this.options.emptyRoundClears || !this.rowsPutBack) {
        // A round that threw (Postgres away) is cleared by the next one that runs; rows put back
        // only by a publication.
        this.rowsPutBack = false;
        this.state.consecutiveFailures = 0;
        this.state.lastSuccessAt = new Date().toISOString();
      }
      if ((outcome.rows ?? outcome.published) >= this.options.batchSize) {
        idle = this.options.idleMs;
        continue;
      }
      // A nudge right after a failed round waits like a poll: the failure (Postgres away, the
      // destination refusing) would most likely repeat, and the backoff must hold.
      const failed = outcome.failed > 0 || outcome.error !== undefined;
      if (this.nudged && !failed) {
        idle = this.options.idleMs;
        continue;
      }
      // stop() during the round found no pause to end: do not start one.
      if (this.stopping) break;
      this.backingOff = failed;
      await this.pause(outcome.published > 0 ? this.options.idleMs : idle);
      this.backingOff = false;
      idle =
        outcome.published > 0 ? this.options.idleMs : Math.min(idle * 2, this.options.maxIdleMs);
    }
  }

  private async safeRound(): Promise<PumpRound> {
    try {
      return await this.round();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (this.state.consecutiveFailures === 0) this.logger.warn(`relay round failed: ${message}`);
      return { published: 0, failed: 0, error: message };
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}
