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
 * while a new row waits `idleMs` right after activity). `stop()` lets the round under way finish,
 * so its rows are either marked sent or left pending, never half-handled when the producer and
 * the database close behind it.
 */
export class OutboxPump {
  private readonly logger: Logger;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
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

  status(): PumpStatus {
    return { ...this.state };
  }

  private async run(): Promise<void> {
    let idle = this.options.idleMs;
    while (!this.stopping) {
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
      await this.pause(outcome.published > 0 ? this.options.idleMs : idle);
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
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
