import {
  COMMAND_ERROR_CODES,
  type CommandFailedData,
  type EventEnvelope,
} from '@event-hub/contracts';

/**
 * Whether a command comes too late to take effect: strictly after the deadline its gateway set.
 * The gateway gives up on a command (and may say so) only once the deadline and a grace for clock
 * skew have passed, so refusing here is what makes that answer true. A command without a deadline
 * (from a gateway before deadlines) never expires.
 */
export function missedDeadline(envelope: Pick<EventEnvelope, 'deadline'>, now: number): boolean {
  if (envelope.deadline === undefined) return false;
  return now > Date.parse(envelope.deadline);
}

/** The FAILED outcome of a command that missed its deadline: it was not applied and never will be. */
export function missedDeadlineOutcome(command: string, deadline: string): CommandFailedData {
  return {
    status: 'FAILED',
    command,
    error: {
      code: COMMAND_ERROR_CODES.notAccepted,
      message: `the command reached the processor after its deadline (${deadline}); it was not applied`,
    },
  };
}
