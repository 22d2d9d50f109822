import { isHealthReport, type AppProbe } from './component-health';

/** GET `<baseUrl>/health`: its report whether 200 or 503, or why there was none. */
export async function probeAppHealth(baseUrl: string, timeoutMs: number): Promise<AppProbe> {
  try {
    const response = await fetch(new URL('/health', baseUrl), {
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body: unknown = await response.json();
    if (!isHealthReport(body)) {
      return {
        reachable: false,
        error: `GET /health answered ${response.status} without a report`,
      };
    }
    return { reachable: true, report: body };
  } catch (error) {
    return { reachable: false, error: describeFetchError(error) };
  }
}

/** fetch's own message is "fetch failed": the cause (ECONNREFUSED, timeout) is what helps. */
function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return 'GET /health did not answer in time';
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : error.message;
}
