/**
 * A command's deadline is the instant after which the processor refuses it. The gateway commits a
 * command's transaction only within the produce timeout, so a deadline beyond it leaves the
 * processor time to apply every command answered 202 (unless it lags by more than the rest).
 */
export function assertDeadlineAfterProduceTimeout(
  deadlineMs: number,
  produceTimeoutMs: number,
): void {
  if (deadlineMs <= produceTimeoutMs) {
    throw new Error(
      `GATEWAY_COMMAND_DEADLINE_MS (${deadlineMs}) must exceed GATEWAY_PRODUCE_TIMEOUT_MS (${produceTimeoutMs})`,
    );
  }
}

/**
 * The statuses still PENDING whose deadline is before this instant can be resolved as not
 * accepted: the processor refuses a command strictly after its deadline, and the grace covers how
 * far its clock may lag this gateway's plus how long it takes to commit what it checked in time.
 */
export function overdueBefore(now: number, graceMs: number): Date {
  return new Date(now - graceMs);
}
