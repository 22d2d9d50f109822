import { RouteTable } from './route-table';

describe('route table', () => {
  const table = new RouteTable();
  table.add('GET', '/users');
  table.add('POST', '/users');
  table.add('GET', '/users/:userId');
  table.add('POST', '/topics/:name/records');
  table.add('GET', '/docs/*');

  it('lists the methods that serve a concrete path', () => {
    expect(table.allowedMethods('/users')).toEqual(['GET', 'POST']);
    expect(table.allowedMethods('/users/42')).toEqual(['GET']);
    expect(table.allowedMethods('/topics/orders.eu/records')).toEqual(['POST']);
    expect(table.allowedMethods('/docs/static/index.html')).toEqual(['GET']);
  });

  it('matches a parameter within one segment only, and literal dots literally', () => {
    expect(table.allowedMethods('/users/42/payments')).toEqual([]);
    expect(table.allowedMethods('/topics/a/b/records')).toEqual([]);
    expect(table.allowedMethods('/nowhere')).toEqual([]);
  });
});
