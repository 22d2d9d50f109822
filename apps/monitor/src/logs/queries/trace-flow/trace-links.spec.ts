import type { LogRecordView } from '../../log-record.view';
import { traceLinks } from './trace-flow.handler';

const item = (traceId?: string): LogRecordView =>
  ({ id: 'x', index: 'i', topic: 't', partition: 0, offset: 0, traceId }) as LogRecordView;

describe('the traces of a flow', () => {
  const A = '4bf92f3577b34da6a3ce929d0e0e4736';
  const B = '0af7651916cd43dd8448eb211c80319c';

  it('lists each trace once, in the order its first record came, linked to Jaeger', () => {
    expect(traceLinks([item(A), item(), item(B), item(A)], 'http://127.0.0.1:16686/')).toEqual([
      { traceId: A, url: `http://127.0.0.1:16686/trace/${A}` },
      { traceId: B, url: `http://127.0.0.1:16686/trace/${B}` },
    ]);
  });

  it('gives the ids alone when no trace UI is configured', () => {
    expect(traceLinks([item(A)], undefined)).toEqual([{ traceId: A }]);
  });
});
