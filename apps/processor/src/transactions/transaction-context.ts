import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import type { IEvent } from '@nestjs/cqrs';
import type { QueryResultRow } from 'pg';
import type { PostgresTransaction } from './postgres-transaction';

/**
 * The transaction one command runs in, plus the domain events it raised. Events are published only
 * after the transaction commits, so no listener ever hears of a change that was rolled back.
 */
export class CommandScope {
  readonly events: IEvent[] = [];

  constructor(private readonly transaction: PostgresTransaction) {}

  query<T extends QueryResultRow>(sql: string, parameters: unknown[]): Promise<T[]> {
    return this.transaction.query<T>(sql, parameters);
  }

  raise(event: IEvent): void {
    this.events.push(event);
  }
}

/**
 * Carries the current {@link CommandScope} through the CommandBus to handlers and repositories
 * (AsyncLocalStorage), so commands stay plain data and handlers need no transaction parameter.
 */
@Injectable()
export class TransactionContext {
  private readonly storage = new AsyncLocalStorage<CommandScope>();

  run<T>(scope: CommandScope, work: () => Promise<T>): Promise<T> {
    return this.storage.run(scope, work);
  }

  current(): CommandScope {
    const scope = this.storage.getStore();
    if (!scope) {
      throw new Error('no transaction in progress: commands run inside the consumer unit of work');
    }
    return scope;
  }
}
