import { Injectable } from '@nestjs/common';

export type ConsumerState =
  'starting' | 'running' | 'paused' | 'restarting' | 'crashed' | 'stopping' | 'stopped';

export interface ConsumerStatusSnapshot {
  state: ConsumerState;
  /** Why the consumer is not running, when it is not. */
  reason?: string;
  since: string;
  /** Partitions of the consumed topic this instance currently owns. */
  partitions: number[];
}

/** What a Postgres-paced consumer (command intake, usage) is doing, for /health. */
@Injectable()
export class ConsumerStatus {
  private current: ConsumerStatusSnapshot = {
    state: 'starting',
    since: new Date().toISOString(),
    partitions: [],
  };

  get state(): ConsumerState {
    return this.current.state;
  }

  set(state: ConsumerState, reason?: string): void {
    const since = state === this.current.state ? this.current.since : new Date().toISOString();
    this.current = {
      state,
      since,
      partitions: this.current.partitions,
      ...(reason ? { reason } : {}),
    };
  }

  assign(partitions: number[]): void {
    this.current = { ...this.current, partitions: [...partitions].sort((a, b) => a - b) };
  }

  snapshot(): ConsumerStatusSnapshot {
    return { ...this.current, partitions: [...this.current.partitions] };
  }
}
