import { gatewayPortOf, parseSimulateArgs, UsageError } from './simulate-options';

describe('simulate command line', () => {
  it('runs 50 payments/s for 60 s among 1,000 accounts on the .env gateway port unless told otherwise', () => {
    expect(parseSimulateArgs([], { GATEWAY_PORT: '8000' })).toEqual({
      rate: 50,
      durationSeconds: 60,
      accounts: 1000,
      gateway: 'http://127.0.0.1:8000',
      deposit: '1000.00',
      concurrency: 64,
      settleTimeoutSeconds: 60,
      help: false,
    });
  });

  it('takes rate, duration, accounts, gateway and both credentials files as options', () => {
    expect(
      parseSimulateArgs(
        [
          '--rate',
          '12.5',
          '--duration',
          '3',
          '--accounts',
          '2',
          '--gateway',
          'http://127.0.0.1:18650/ignored',
          '--credentials',
          'tenant.json',
          '--operator-credentials',
          'admin.json',
          '--deposit',
          '20',
        ],
        {},
      ),
    ).toMatchObject({
      rate: 12.5,
      durationSeconds: 3,
      accounts: 2,
      gateway: 'http://127.0.0.1:18650',
      credentials: 'tenant.json',
      operatorCredentials: 'admin.json',
      deposit: '20',
    });
  });

  it('prefers --gateway to SIMULATE_GATEWAY_URL, and that to the .env port', () => {
    const env = { SIMULATE_GATEWAY_URL: 'http://gw.example:9000', GATEWAY_PORT: '8000' };
    expect(parseSimulateArgs([], env).gateway).toBe('http://gw.example:9000');
    expect(parseSimulateArgs(['--gateway', 'http://127.0.0.1:1'], env).gateway).toBe(
      'http://127.0.0.1:1',
    );
  });

  it.each([
    [['--rate', '0'], '--rate must be a number above 0'],
    [['--rate', 'fast'], '--rate must be a number above 0'],
    [['--duration=-1'], '--duration must be a number above 0'],
    [['--accounts', '1'], '--accounts must be a whole number of at least 2'],
    [['--accounts', '2.5'], '--accounts must be a whole number of at least 2'],
    [['--concurrency', '0'], '--concurrency must be a whole number of at least 1'],
    [['--deposit', '1.999'], '--deposit must be a decimal above 0'],
    [['--gateway', 'ftp://x'], 'gateway must be an http(s) URL'],
    [['--unknown'], "Unknown option '--unknown'"],
  ])('refuses %j naming the option', (argv, message) => {
    expect(() => parseSimulateArgs(argv, {})).toThrow(UsageError);
    expect(() => parseSimulateArgs(argv, {})).toThrow(message);
  });

  it('reads GATEWAY_PORT from the text of a .env file', () => {
    expect(gatewayPortOf('A=1\nGATEWAY_PORT=8100\nPROCESSOR_PORT=8101\n')).toBe('8100');
    expect(gatewayPortOf('# GATEWAY_PORT=1\n')).toBeUndefined();
  });
});
