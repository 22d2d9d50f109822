/** Where a command came from: kept on domain events so logs tie them to the client's request. */
export interface CommandMeta {
  eventId: string;
  correlationId: string;
}

/** What a completed command answers (`result` of the COMPLETED reply). */
export type CommandResultData = Record<string, unknown>;
