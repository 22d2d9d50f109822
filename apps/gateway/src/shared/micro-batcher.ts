export interface MicroBatcherOptions {
  /** Items written by one call of the batch function at most. */
  maxBatch: number;
  /** Batch calls running at once at most (e.g. database connections to spend). */
  maxConcurrent: number;
}

interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for small writes: items added while the batch slots are busy are written together
 * by the next free slot, so under load one statement carries many rows, and when idle an item is
 * written on its own right away (after the current tick, to pick up what arrived with it). Each
 * `add` settles with its batch, with the result the batch function gave for its item (by index).
 */
export class MicroBatcher<T, R = void> {
  private queue: Waiting<T, R>[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly write: (items: T[]) => Promise<R[] | void>,
    private readonly options: MicroBatcherOptions,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.options.maxConcurrent) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  private drain(): void {
    while (this.queue.length > 0 && this.running < this.options.maxConcurrent) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.running += 1;
      this.write(batch.map((w) => w.item))
        .then(
          (results) => batch.forEach((w, i) => w.resolve((results ?? [])[i] as R)),
          (error: unknown) => batch.forEach((w) => w.reject(error)),
        )
        .finally(() => {
          this.running -= 1;
          if (this.queue.length > 0) this.schedule();
        });
    }
  }
}
