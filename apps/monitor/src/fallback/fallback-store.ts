import { mkdir, open, readdir, stat, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { joinRequests, type IndexRequest } from '../elasticsearch/index-request';

/** The fallback directory holds MONITOR_FALLBACK_MAX_BYTES already: consumption must pause. */
export class FallbackFullError extends Error {
  readonly code = 'FALLBACK_FULL';

  constructor(bytes: number, maxBytes: number) {
    super(`fallback directory full (${bytes} of ${maxBytes} bytes)`);
    this.name = 'FallbackFullError';
  }
}

export interface FallbackFile {
  seq: number;
  path: string;
  bytes: number;
  /** When its first record was written: the age of the oldest record not in Elasticsearch. */
  createdAt: number;
}

export interface FallbackStoreOptions {
  dir: string;
  /** Rotate the file being written once it reaches this size. */
  fileBytes: number;
  /** Refuse appends beyond this total (all files). */
  maxBytes: number;
}

const FILE_NAME = /^spill-(\d{12})-(\d+)\.ndjson$/;

export function fallbackFileName(seq: number, createdAt: number): string {
  return `spill-${String(seq).padStart(12, '0')}-${createdAt}.ndjson`;
}

export function parseFallbackFileName(
  name: string,
): { seq: number; createdAt: number } | undefined {
  const match = FILE_NAME.exec(name);
  return match ? { seq: Number(match[1]), createdAt: Number(match[2]) } : undefined;
}

interface PendingAppend {
  chunk: Buffer;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Append-only NDJSON files of bulk `create` pairs (action line, document line), written only
 * while Elasticsearch fails. An append resolves once its bytes are written AND fsync'd, which is
 * what lets the consumer commit those offsets. Concurrent appends are group-committed: one write
 * and one fsync for everything queued meanwhile.
 *
 * Files are named `spill-<seq>-<createdAtMs>.ndjson`, replayed in seq order, and only the file
 * currently written is open; `rotate()` closes it so the replayer may take it. A crash can leave
 * a torn last line in the file being written: those records were never acknowledged (so never
 * committed) and the reader ignores the torn tail. After a restart writing starts in a new file.
 *
 * Bound: appends that would take the total beyond `maxBytes` fail with FallbackFullError and the
 * caller pauses consumption; records are never dropped to make room.
 */
export class FallbackStore {
  private readonly logger = new Logger(FallbackStore.name);
  private readonly closed: FallbackFile[] = [];
  private active: { file: FallbackFile; handle: FileHandle } | undefined;
  private nextSeq = 1;
  private writtenBytes = 0;
  private queuedBytes = 0;
  private queue: PendingAppend[] = [];
  private writeScheduled = false;
  /** Serializes writes, rotations and closing. */
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: FallbackStoreOptions) {}

  /** Finds the files a previous run left (all of them are complete as far as they go). */
  async open(): Promise<void> {
    await mkdir(this.options.dir, { recursive: true });
    const found: FallbackFile[] = [];
    for (const name of await readdir(this.options.dir)) {
      const parsed = parseFallbackFileName(name);
      if (!parsed) continue;
      const path = join(this.options.dir, name);
      found.push({ ...parsed, path, bytes: (await stat(path)).size });
    }
    found.sort((a, b) => a.seq - b.seq);
    this.closed.push(...found);
    this.writtenBytes = found.reduce((sum, f) => sum + f.bytes, 0);
    this.nextSeq = (found[found.length - 1]?.seq ?? 0) + 1;
    if (found.length > 0) {
      this.logger.warn(
        `${found.length} fallback file(s), ${this.writtenBytes} bytes, wait for replay`,
      );
    }
  }

  /** Appends the requests durably; rejects with FallbackFullError at the bound. */
  append(requests: readonly IndexRequest[]): Promise<void> {
    const chunk = joinRequests(requests);
    if (this.writtenBytes + this.queuedBytes + chunk.length > this.options.maxBytes) {
      return Promise.reject(
        new FallbackFullError(this.writtenBytes + this.queuedBytes, this.options.maxBytes),
      );
    }
    this.queuedBytes += chunk.length;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ chunk, resolve, reject });
      if (!this.writeScheduled) {
        this.writeScheduled = true;
        this.enqueue(() => this.writeQueued());
      }
    });
  }

  /** Closes the file being written so it becomes replayable (no-op when none is open). */
  rotate(): Promise<void> {
    return this.enqueue(() => this.closeActive());
  }

  /** Files ready for replay, oldest first. */
  closedFiles(): FallbackFile[] {
    return [...this.closed];
  }

  /** Deletes a replayed file. */
  async remove(file: FallbackFile): Promise<void> {
    await unlink(file.path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    const index = this.closed.findIndex((f) => f.seq === file.seq);
    if (index >= 0) {
      this.closed.splice(index, 1);
      this.writtenBytes -= file.bytes;
    }
  }

  stats(): { bytes: number; files: number; oldestCreatedAt: number | undefined } {
    const files = this.active ? [...this.closed, this.active.file] : this.closed;
    return {
      bytes: this.writtenBytes,
      files: files.length,
      oldestCreatedAt: files.reduce<number | undefined>(
        (oldest, f) => (oldest === undefined || f.createdAt < oldest ? f.createdAt : oldest),
        undefined,
      ),
    };
  }

  async close(): Promise<void> {
    await this.enqueue(() => this.closeActive());
  }

  private enqueue(operation: () => Promise<void>): Promise<void> {
    const next = this.chain.then(operation);
    // The chain itself never rejects, so one failed operation does not block the next.
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async writeQueued(): Promise<void> {
    this.writeScheduled = false;
    const group = this.queue;
    this.queue = [];
    const bytes = group.reduce((sum, p) => sum + p.chunk.length, 0);
    try {
      const active = await this.writableFile();
      await active.handle.writev(group.map((p) => p.chunk));
      await active.handle.datasync();
      active.file.bytes += bytes;
      this.writtenBytes += bytes;
      this.queuedBytes -= bytes;
      if (active.file.bytes >= this.options.fileBytes) await this.closeActive();
      for (const p of group) p.resolve();
    } catch (error) {
      this.queuedBytes -= bytes;
      this.logger.error(
        `fallback write failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      // The file may now end in a torn write: stop writing to it; readers ignore a torn tail.
      await this.closeActive().catch(() => undefined);
      for (const p of group) p.reject(error);
    }
  }

  private async writableFile(): Promise<{ file: FallbackFile; handle: FileHandle }> {
    if (this.active) return this.active;
    const seq = this.nextSeq++;
    const createdAt = Date.now();
    const path = join(this.options.dir, fallbackFileName(seq, createdAt));
    const handle = await open(path, 'wx');
    await syncDirectory(this.options.dir);
    this.active = { file: { seq, path, bytes: 0, createdAt }, handle };
    return this.active;
  }

  private async closeActive(): Promise<void> {
    const active = this.active;
    if (!active) return;
    this.active = undefined;
    await active.handle.close();
    if (active.file.bytes === 0) {
      await unlink(active.file.path).catch(() => undefined);
      return;
    }
    this.closed.push(active.file);
  }
}

/** Makes a new file's directory entry durable, so a crash cannot lose a file that was fsync'd. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
