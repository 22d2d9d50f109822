/**
 * Runs the chunks that several partitions hand over at the same time as one transaction.
 *
 * A fetch answers a record or two per partition at a moderate rate, and kafkajs hands each
 * partition's batch to its own worker; a transaction per partition batch then costs the same
 * round trips for one payment as for fifty, and with more partitions than workers the batches of
 * one fetch run in rounds, one after the other, before the next fetch starts. Chunks given in
 * the same turn of the event loop (the partitions of one fetch), or while `inFlight` transactions
 * are already running, are concatenated (each chunk whole, in the order given, up to `maxItems`)
 * and handled together; each caller gets the answers of its own items, or the error of the whole.
 *
 * Order is kept where it exists: a partition's chunks reach here one after the other (the next
 * only once the previous was answered), so one payer's records (keyed by payer) keep their order
 * in the combined chunk.
 */
export class ChunkCombiner<I, A> {
  private readonly queue: Waiting<I, A>[] = [];
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly handle: (items: I[]) => Promise<A[]>,
    private readonly options: { inFlight: number; maxItems: number },
  ) {}

  /** Handles `items` (with whatever else is waiting); answers one per item, in order. */
  run(items: I[]): Promise<A[]> {
    return new Promise<A[]>((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      // After the other partitions' workers of the same fetch had their turn to add theirs.
      setImmediate(() => {
        this.scheduled = false;
        this.drain();
      });
    });
  }

  private drain(): void {
    while (this.running < this.options.inFlight && this.queue.length > 0) {
      const group = [this.queue.shift() as Waiting<I, A>];
      let size = group[0]?.items.length ?? 0;
      while (
        this.queue.length > 0 &&
        size + (this.queue[0] as Waiting<I, A>).items.length <= this.options.maxItems
      ) {
        const next = this.queue.shift() as Waiting<I, A>;
        size += next.items.length;
        group.push(next);
      }
      this.running += 1;
      void this.handleGroup(group).finally(() => {
        this.running -= 1;
        this.drain();
      });
    }
  }

  private async handleGroup(group: Waiting<I, A>[]): Promise<void> {
    try {
      const answers = await this.handle(group.flatMap((w) => w.items));
      let at = 0;
      for (const waiting of group) {
        waiting.resolve(answers.slice(at, at + waiting.items.length));
        at += waiting.items.length;
      }
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
    }
  }
}

interface Waiting<I, A> {
  items: I[];
  resolve: (answers: A[]) => void;
  reject: (error: unknown) => void;
}
