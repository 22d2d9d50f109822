/** Where a command came from: kept on domain events so logs tie them to the client's request. */
export interface CommandMeta {
  eventId: string;
  correlationId: string;
  /** The tenant the command acts in: users of other tenants do not exist for it. */
  tenantId: string;
  /** The API client that sent it (the audit's actor), when the envelope names one. */
  clientId?: string;
}

/** What a completed command answers (`result` of the COMPLETED reply). */
export type CommandResultData = Record<string, unknown>;
