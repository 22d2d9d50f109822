import { COMMAND_ERROR_CODES } from '@event-hub/contracts';
import { missedDeadline, missedDeadlineOutcome } from './command-deadline';

describe('command deadline', () => {
  const deadline = '2026-01-01T00:00:10.000Z';
  const at = (iso: string): number => Date.parse(iso);

  it('lets a command through up to and including its deadline', () => {
    expect(missedDeadline({ deadline }, at('2026-01-01T00:00:09.999Z'))).toBe(false);
    expect(missedDeadline({ deadline }, at(deadline))).toBe(false);
  });

  it('refuses a command strictly after its deadline', () => {
    expect(missedDeadline({ deadline }, at('2026-01-01T00:00:10.001Z'))).toBe(true);
  });

  it('never expires a command without a deadline', () => {
    expect(missedDeadline({}, at('2999-01-01T00:00:00.000Z'))).toBe(false);
  });

  it('answers FAILED with COMMAND.NOT_ACCEPTED naming the deadline', () => {
    expect(missedDeadlineOutcome('users.create_user', deadline)).toEqual({
      status: 'FAILED',
      command: 'users.create_user',
      error: {
        code: COMMAND_ERROR_CODES.notAccepted,
        message: expect.stringContaining(deadline) as string,
      },
    });
  });
});
