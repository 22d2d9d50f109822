import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnvironment } from '../config/gateway.environment';
import { overdueBefore } from './command-deadline';
import { CommandStore } from './command-store';

/**
 * Resolves PENDING statuses nobody will answer: a command whose gateway died mid-request, or whose
 * commit was never confirmed and did not land, gets no reply. Past its deadline and the grace the
 * processor refuses it, so its inbox is final: the stored reply if it applied the command, FAILED
 * `COMMAND.NOT_ACCEPTED` if not. Every instance runs it; overlaps are harmless and a failed round
 * is tried again at the next one.
 */
@Injectable()
export class OverdueCommandsSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OverdueCommandsSweeper.name);
  private readonly graceMs: number;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: CommandStore,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    this.graceMs = config.get('GATEWAY_COMMAND_DEADLINE_GRACE_MS');
    this.intervalMs = config.get('GATEWAY_COMMAND_SWEEP_INTERVAL_MS');
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<number> {
    try {
      const resolved = await this.store.resolveOverdue(overdueBefore(Date.now(), this.graceMs));
      if (resolved > 0) {
        this.logger.warn(
          `resolved ${resolved} overdue PENDING commands from the processor's inbox`,
        );
      }
      return resolved;
    } catch (error) {
      this.logger.warn({ err: error }, 'could not resolve overdue commands; will try again');
      return 0;
    }
  }
}
