export interface WaitForOptions {
  /** How long to keep polling before failing. */
  timeoutMs?: number;
  /** The pause between two probes. */
  intervalMs?: number;
  /** What is awaited, as the timeout error names it. */
  what?: string;
  /**
   * Whether an error thrown by the probe means "not yet" (the default: a service still starting
   * refuses connections) or "never": false ends the wait at once with that error, for a probe that
   * has seen something no amount of waiting mends (a process that exited, a count overshot).
   */
  retryErrors?: boolean;
}

/**
 * Polls `probe` until it returns a value other than undefined/false, and resolves to that value.
 * Fails after `timeoutMs` naming `what` and the probe's last error, if it threw.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  {
    timeoutMs = 30000,
    intervalMs = 100,
    what = 'condition',
    retryErrors = true,
  }: WaitForOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      if (!retryErrors) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
