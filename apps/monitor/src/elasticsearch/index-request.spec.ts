import { createIndexRequest, joinRequests, requestLines } from './index-request';

/** What a request was encoded as before the slabs: its own buffer from the two lines. */
function separately(index: string, id: string, document: object): Buffer {
  const action = JSON.stringify({ create: { _index: index, _id: id } });
  return Buffer.from(`${action}\n${JSON.stringify(document)}\n`);
}

describe('index requests', () => {
  it('encodes the action and document lines as JSON.stringify does, whatever they hold', () => {
    const cases: [string, string, object][] = [
      ['logs-2025.01.31', 'orders-0-17', { message: 'olá "mundo" \\ \u0000 😀', n: 1 }],
      ['logs-"odd"\\index', 'id-\u2028-é', { payload: { a: [1, null, 'ß'] } }],
      ['logs-2025.01.31', 'x', { big: 'é'.repeat(300_000) }],
    ];
    for (const [index, id, document] of cases) {
      const request = createIndexRequest(index, id, 'log', document);
      expect(request.bytes.equals(separately(index, id, document))).toBe(true);
      expect(requestLines(request)).toEqual([
        JSON.stringify({ create: { _index: index, _id: id } }),
        JSON.stringify(document),
      ]);
    }
  });

  it('joins requests into the same bytes as a copy, without copying those made in a row', () => {
    const inRow = Array.from({ length: 50 }, (_, i) =>
      createIndexRequest('logs-2025.01.31', `t-0-${i}`, 'log', { offset: i, text: 'ü'.repeat(i) }),
    );
    const joined = joinRequests(inRow);
    expect(joined.equals(Buffer.concat(inRow.map((r) => r.bytes)))).toBe(true);
    expect(joined.buffer).toBe(inRow[0]?.bytes.buffer);

    const mixed = [
      inRow[3],
      {
        ...createIndexRequest('logs-deadletter', 'd', 'dead-letter', {}),
        bytes: Buffer.from('{}\n{}\n'),
      },
      inRow[4],
      inRow[5],
      inRow[1],
    ].filter((r) => r !== undefined);
    expect(joinRequests(mixed).equals(Buffer.concat(mixed.map((r) => r.bytes)))).toBe(true);
    expect(joinRequests([]).length).toBe(0);
  });
});
