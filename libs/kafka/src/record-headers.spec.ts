import { decodeHeaders, encodeHeaders } from './record-headers';

describe('record headers', () => {
  it('leaves out headers without a value when producing', () => {
    expect(encodeHeaders({ 'correlation-id': 'c1', traceparent: undefined })).toEqual({
      'correlation-id': 'c1',
    });
  });

  it('reads consumed buffers as UTF-8 and keeps the last of a repeated header', () => {
    expect(
      decodeHeaders({
        'event-type': Buffer.from('user.created'),
        x: [Buffer.from('a'), Buffer.from('b')],
      }),
    ).toEqual({ 'event-type': 'user.created', x: 'b' });
  });
});
