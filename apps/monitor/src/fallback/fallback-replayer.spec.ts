import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { MonitorSettings } from '../config/monitor-settings';
import { LogIndices } from '../elasticsearch/log-indices';
import type { BulkWriter, WriteOutcome, WriteResult } from '../elasticsearch/bulk-writer';
import type { ElasticsearchLink } from '../elasticsearch/elasticsearch-link';
import { createIndexRequest, type IndexRequest } from '../elasticsearch/index-request';
import { FallbackReplayer } from './fallback-replayer';
import { FallbackStore } from './fallback-store';

const settings = {
  bulk: { maxDocs: 2, maxBytes: 1 << 20, concurrency: 1 },
  retryBudgetMs: 0,
  probeIntervalMs: 10,
} as MonitorSettings;

function request(i: number): IndexRequest {
  return createIndexRequest('logs-2025.01.31', `t-0-${i}`, 'log', { offset: i });
}

/** A cluster stand-in: answers each write with the next scripted outcome (default created). */
function fakeWriter(script: WriteOutcome[] = []): { writer: BulkWriter; sent: string[][] } {
  const sent: string[][] = [];
  const write = async (requests: readonly IndexRequest[]): Promise<WriteResult> => {
    sent.push(requests.map((r) => r.id));
    const outcome = script.shift() ?? 'created';
    return { items: requests.map((r) => ({ request: r, outcome })), lastError: 'scripted' };
  };
  return { writer: { write } as unknown as BulkWriter, sent };
}

interface FakeLink {
  link: ElasticsearchLink;
  setUp(up: boolean): void;
}

function fakeLink(): FakeLink {
  const link = {
    up: true,
    indices: new LogIndices('logs'),
    get isUp() {
      return link.up;
    },
    markDown: () => (link.up = false),
    verify: async () => undefined,
    probe: async () => link.up,
  };
  return { link: link as unknown as ElasticsearchLink, setUp: (up) => (link.up = up) };
}

describe('fallback replayer', () => {
  let dir: string;
  let store: FallbackStore;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'replayer-spec-'));
    store = new FallbackStore({ dir, fileBytes: 1, maxBytes: 1 << 30 });
    await store.open();
    // fileBytes 1: every append closes its file, so each batch below is one file.
    await store.append([request(1), request(2), request(3)]);
    await store.append([request(4)]);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('replays files oldest first in bulk-sized chunks and deletes each once acknowledged', async () => {
    const { writer, sent } = fakeWriter(['created', 'duplicate', 'dead-lettered']);
    await new FallbackReplayer(settings, fakeLink().link, store, writer).tick();

    expect(sent).toEqual([['t-0-1', 't-0-2'], ['t-0-3'], ['t-0-4']]);
    expect(await readdir(dir)).toEqual([]);
    expect(store.stats()).toMatchObject({ bytes: 0, files: 0 });
  });

  it('keeps a file whose documents were not all stored, marks Elasticsearch down, and resumes later', async () => {
    const { link, setUp } = fakeLink();
    const { writer, sent } = fakeWriter(['created', 'failed']);
    const replayer = new FallbackReplayer(settings, link, store, writer);

    await replayer.tick();
    expect(link.isUp).toBe(false);
    expect(await readdir(dir)).toHaveLength(2);

    setUp(true);
    await replayer.tick();
    // The first file is sent again from its start (ids make that harmless), then the second.
    expect(sent).toEqual([['t-0-1', 't-0-2'], ['t-0-3'], ['t-0-1', 't-0-2'], ['t-0-3'], ['t-0-4']]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('does nothing while Elasticsearch stays down', async () => {
    const { link, setUp } = fakeLink();
    setUp(false);
    const { writer, sent } = fakeWriter();
    await new FallbackReplayer(settings, link, store, writer).tick();

    expect(sent).toEqual([]);
    expect(await readdir(dir)).toHaveLength(2);
  });
});
