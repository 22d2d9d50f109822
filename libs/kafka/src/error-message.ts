/** The message of whatever was thrown, for wrapping it in an error of our own. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
