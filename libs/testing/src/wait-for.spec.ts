import { waitFor } from './wait-for';

describe('waitFor', () => {
  it('resolves to the first value the probe returns that is not undefined or false', async () => {
    const answers = [undefined, false, 0, 1];
    await expect(waitFor(() => answers.shift(), { intervalMs: 1 })).resolves.toBe(0);
  });

  it('fails after the timeout, naming what it waited for and the probe’s last error', async () => {
    let calls = 0;
    const waiting = waitFor(
      () => {
        calls += 1;
        if (calls > 1) throw new Error('connection refused');
        return false;
      },
      { timeoutMs: 30, intervalMs: 5, what: 'the service to answer' },
    );
    await expect(waiting).rejects.toThrow(
      'timed out after 30 ms waiting for the service to answer: connection refused',
    );
  });

  it('keeps polling through errors by default, and ends at the first one when told they are final', async () => {
    let calls = 0;
    const flaky = () => {
      calls += 1;
      if (calls === 1) throw new Error('not yet');
      return 'up';
    };
    await expect(waitFor(flaky, { intervalMs: 1 })).resolves.toBe('up');

    const exited = waitFor(
      () => {
        throw new Error('the process exited with 1');
      },
      { timeoutMs: 60_000, intervalMs: 1, retryErrors: false },
    );
    await expect(exited).rejects.toThrow('the process exited with 1');
  });
});
