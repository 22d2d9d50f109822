import {
  parseBalance,
  parseCommandLine,
  parseCredentials,
  parseReason,
  UsageError,
} from './balance-commands';

describe('balance CLI command line', () => {
  it('reads set with its reason, normalizing the balance to two fraction digits', () => {
    expect(parseCommandLine(['set', 'acc-1', '150', '--reason', 'opening balance'])).toEqual({
      action: { command: 'set', accountId: 'acc-1', balance: '150.00', reason: 'opening balance' },
      json: false,
    });
  });

  it('takes the gateway and the credentials file as options', () => {
    expect(
      parseCommandLine([
        'set',
        'acc-1',
        '9.5',
        '--reason',
        'fix',
        '--gateway',
        'http://127.0.0.1:18420/ignored',
        '--credentials',
        'admin.json',
        '--json',
      ]),
    ).toEqual({
      action: { command: 'set', accountId: 'acc-1', balance: '9.50', reason: 'fix' },
      gateway: 'http://127.0.0.1:18420',
      credentials: 'admin.json',
      json: true,
    });
  });

  it('reads interactive and help', () => {
    expect(parseCommandLine(['interactive']).action).toEqual({ command: 'interactive' });
    expect(parseCommandLine([]).action).toEqual({ command: 'help' });
    expect(parseCommandLine(['set', '--help']).action).toEqual({ command: 'help' });
  });

  it.each([
    [['set', 'acc-1', '150'], 'a reason is required'],
    [['set', 'acc-1', '150', '--reason', '   '], 'a reason is required'],
    [['set', 'acc-1', '--reason', 'x'], 'set takes <accountId> <balance>'],
    [['set', 'acc 1', '1', '--reason', 'x'], 'account id must be'],
    [['set', 'a/b', '1', '--reason', 'x'], 'account id must be'],
    [['set', 'acc-1', '1.005', '--reason', 'x'], 'balance must be a decimal'],
    [['set', 'acc-1', '1e3', '--reason', 'x'], 'balance must be a decimal'],
    [['set', 'acc-1', 'NaN', '--reason', 'x'], 'balance must be a decimal'],
    [['set', 'acc-1', '1', '--reason', 'x', '--gateway', 'ftp://h'], 'gateway must be'],
    [['set', 'acc-1', '1', '--reason', 'x', '--bogus'], 'Unknown option'],
    [['interactive', '--reason', 'x'], 'interactive asks for each reason'],
    [['transfer'], 'unknown command'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseCommandLine(argv)).toThrow(UsageError);
    expect(() => parseCommandLine(argv)).toThrow(message);
  });

  it('keeps balances exact, with a comma accepted as the decimal separator', () => {
    expect(parseBalance('0')).toBe('0.00');
    expect(parseBalance('1234567.8')).toBe('1234567.80');
    expect(parseBalance('10,25')).toBe('10.25');
    expect(parseBalance('-3.1')).toBe('-3.10');
    expect(parseBalance('-0')).toBe('0.00');
    expect(parseBalance('9007199254740993.99')).toBe('9007199254740993.99');
  });

  it('bounds the reason', () => {
    expect(parseReason('  deposit correction ')).toBe('deposit correction');
    expect(() => parseReason('x'.repeat(501))).toThrow('at most 500 characters');
  });

  it('reads credentials files and names what is missing', () => {
    expect(parseCredentials('{"clientId":"c","clientSecret":"s","x":1}', 'f.json')).toEqual({
      clientId: 'c',
      clientSecret: 's',
    });
    expect(() => parseCredentials('{"clientId":"c"}', 'f.json')).toThrow(
      'f.json must hold "clientId" and "clientSecret"',
    );
    expect(() => parseCredentials('nope', 'f.json')).toThrow('f.json is not JSON');
  });
});
