import { appendFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import {
  createIndexRequest,
  requestLines,
  type IndexRequest,
} from '../elasticsearch/index-request';
import { readFallbackChunks } from './fallback-reader';
import {
  FallbackFullError,
  FallbackStore,
  fallbackFileName,
  parseFallbackFileName,
} from './fallback-store';

function request(i: number, padding = 0): IndexRequest {
  return createIndexRequest('logs-2025.01.31', `t-0-${i}`, 'log', {
    offset: i,
    note: 'x'.repeat(padding),
  });
}

async function readAll(
  path: string,
  deadLetterIndex = 'logs-deadletter',
): Promise<{ ids: string[]; skipped: number }> {
  const ids: string[] = [];
  let skipped = 0;
  for await (const chunk of readFallbackChunks(path, {
    maxDocs: 1000,
    maxBytes: 1 << 20,
    deadLetterIndex,
  })) {
    ids.push(...chunk.requests.map((r) => r.id));
    skipped += chunk.skippedLines;
  }
  return { ids, skipped };
}

describe('fallback store', () => {
  let dir: string;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fallback-spec-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('names files so that sorting by name is sorting by sequence', () => {
    expect(fallbackFileName(7, 1700000000000)).toBe('spill-000000000007-1700000000000.ndjson');
    expect(parseFallbackFileName('spill-000000000007-1700000000000.ndjson')).toEqual({
      seq: 7,
      createdAt: 1700000000000,
    });
    expect(parseFallbackFileName('notes.txt')).toBeUndefined();
  });

  it('appends bulk create pairs and hands the file over for replay only once rotated', async () => {
    const store = new FallbackStore({ dir, fileBytes: 1 << 20, maxBytes: 1 << 30 });
    await store.open();
    await store.append([request(1), request(2)]);

    expect(store.closedFiles()).toEqual([]);
    expect(store.stats()).toMatchObject({ files: 1, bytes: expect.any(Number) });

    await store.rotate();
    const [file] = store.closedFiles();
    expect(file).toBeDefined();
    const lines = (await readFile(file?.path ?? '', 'utf8')).split('\n');
    expect(lines.slice(0, 4)).toEqual([...requestLines(request(1)), ...requestLines(request(2))]);
    expect(store.stats().bytes).toBe(Buffer.byteLength(lines.join('\n')));
  });

  it('rotates by size and replays files in the order they were written', async () => {
    const store = new FallbackStore({ dir, fileBytes: 64 * 1024, maxBytes: 1 << 30 });
    await store.open();
    for (let batch = 0; batch < 20; batch++) {
      await store.append(Array.from({ length: 10 }, (_, i) => request(batch * 10 + i, 1000)));
    }
    await store.rotate();

    const files = store.closedFiles();
    expect(files.length).toBeGreaterThan(2);
    expect(files.map((f) => f.seq)).toEqual([...files.map((f) => f.seq)].sort((a, b) => a - b));
    const ids: string[] = [];
    for (const file of files) ids.push(...(await readAll(file.path)).ids);
    expect(ids).toEqual(Array.from({ length: 200 }, (_, i) => `t-0-${i}`));
  });

  it('group-commits concurrent appends', async () => {
    const store = new FallbackStore({ dir, fileBytes: 1 << 20, maxBytes: 1 << 30 });
    await store.open();
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.append([request(i)])));
    await store.rotate();

    expect(store.closedFiles()).toHaveLength(1);
    expect((await readAll(store.closedFiles()[0]?.path ?? '')).ids).toHaveLength(50);
  });

  it('refuses appends beyond its bound instead of dropping anything, and takes them again once room is made', async () => {
    const store = new FallbackStore({ dir, fileBytes: 1024, maxBytes: 8 * 1024 });
    await store.open();
    let accepted = 0;
    let refusal: unknown;
    for (let i = 0; i < 100 && !refusal; i++) {
      try {
        await store.append([request(i, 500)]);
        accepted++;
      } catch (error) {
        refusal = error;
      }
    }
    expect(refusal).toBeInstanceOf(FallbackFullError);
    expect(store.stats().bytes).toBeLessThanOrEqual(8 * 1024);
    await store.rotate();

    const [oldest] = store.closedFiles();
    await store.remove(oldest as NonNullable<typeof oldest>);
    await expect(store.append([request(1000, 500)])).resolves.toBeUndefined();
    expect(accepted).toBeGreaterThan(5);
    await store.close();
  });

  it('deletes a replayed file and forgets its bytes', async () => {
    const store = new FallbackStore({ dir, fileBytes: 1 << 20, maxBytes: 1 << 30 });
    await store.open();
    await store.append([request(1)]);
    await store.rotate();
    const [file] = store.closedFiles();
    await store.remove(file as NonNullable<typeof file>);

    expect(store.stats()).toEqual({ bytes: 0, files: 0, oldestCreatedAt: undefined });
    expect(await readdir(dir)).toEqual([]);
  });

  it('finds the files of a previous run, ignores the torn tail of a crash, and writes after them', async () => {
    const crashed = new FallbackStore({ dir, fileBytes: 1 << 20, maxBytes: 1 << 30 });
    await crashed.open();
    await crashed.append([request(1), request(2)]);
    // The process dies mid-write: half a pair reached the file, never acknowledged.
    const [name] = await readdir(dir);
    await appendFile(join(dir, name ?? ''), `${requestLines(request(3))[0]}\n{"offset":3,"no`);
    await crashed.close(); // only releases the descriptor; a crash would not write anything more

    const restarted = new FallbackStore({ dir, fileBytes: 1 << 20, maxBytes: 1 << 30 });
    await restarted.open();
    await restarted.append([request(4)]);
    await restarted.rotate();

    const files = restarted.closedFiles();
    expect(files).toHaveLength(2);
    expect(await readAll(files[0]?.path ?? '')).toEqual({ ids: ['t-0-1', 't-0-2'], skipped: 2 });
    expect(await readAll(files[1]?.path ?? '')).toEqual({ ids: ['t-0-4'], skipped: 0 });
  });
});

describe('fallback reader', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fallback-reader-spec-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads pairs that straddle read boundaries, byte for byte as written', async () => {
    const store = new FallbackStore({ dir, fileBytes: 1 << 30, maxBytes: 1 << 30 });
    await store.open();
    const written = Array.from({ length: 3000 }, (_, i) => request(i, 700 + (i % 13)));
    await store.append(written);
    await store.rotate();

    const read: IndexRequest[] = [];
    for await (const chunk of readFallbackChunks(store.closedFiles()[0]?.path ?? '', {
      maxDocs: 1000,
      maxBytes: 5 << 20,
      deadLetterIndex: 'logs-deadletter',
    })) {
      read.push(...chunk.requests);
    }
    expect(read.map((r) => r.id)).toEqual(written.map((r) => r.id));
    expect(read.every((r, i) => r.bytes.equals(written[i]?.bytes ?? Buffer.alloc(0)))).toBe(true);
  });

  it('reads bulk-sized chunks and knows dead letters from their index', async () => {
    const store = new FallbackStore({ dir, fileBytes: 1 << 20, maxBytes: 1 << 30 });
    await store.open();
    const deadLetter = createIndexRequest('logs-deadletter', 't-0-9', 'dead-letter', {
      deadLetter: { type: 'x' },
    });
    const minimal = createIndexRequest('logs-deadletter', 't-0-10', 'dead-letter-minimal', {
      deadLetter: { type: 'x', contentOmitted: true },
    });
    await store.append([...Array.from({ length: 5 }, (_, i) => request(i)), deadLetter, minimal]);
    await store.rotate();

    const chunks = [];
    for await (const chunk of readFallbackChunks(store.closedFiles()[0]?.path ?? '', {
      maxDocs: 3,
      maxBytes: 1 << 20,
      deadLetterIndex: 'logs-deadletter',
    })) {
      chunks.push(chunk.requests.map((r) => `${r.id}:${r.kind}`));
    }
    expect(chunks).toEqual([
      ['t-0-0:log', 't-0-1:log', 't-0-2:log'],
      ['t-0-3:log', 't-0-4:log', 't-0-9:dead-letter'],
      ['t-0-10:dead-letter-minimal'],
    ]);
  });
});
