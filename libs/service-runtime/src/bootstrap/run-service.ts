import { InvalidEnvironmentError } from '../config/validate-environment';

/**
 * Runs a service's `main`, turning a start-up failure into one JSON log line on stderr and exit
 * code 1, so a bad variable is reported by name instead of as a stack trace.
 */
export function runService(service: string, main: () => Promise<unknown>): void {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const line = {
      level: 'fatal',
      time: new Date().toISOString(),
      service,
      message: `${service} failed to start: ${message}`,
      ...(error instanceof InvalidEnvironmentError ? { problems: error.problems } : {}),
    };
    process.stderr.write(`${JSON.stringify(line)}\n`);
    process.exit(1);
  });
}
