import type { RequestedTarget } from '../pix-event-validation';

/** An operator's event for a PIX topic or the `pix` exchange, as the request gave it. */
export class PublishPixEventCommand {
  constructor(
    readonly target: RequestedTarget,
    readonly event: Record<string, unknown>,
  ) {}
}
