import { CommandStatusEntity } from './command-status.entity';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { CreateCommandTables1764000000000 } from './migrations/1764000000000-create-command-tables';
import { ScopeCommandsToTenants1764050000000 } from './migrations/1764050000000-scope-commands-to-tenants';
import { CommandDeadlines1764060000000 } from './migrations/1764060000000-command-deadlines';
import { RecentCommandsIndex1764070000000 } from './migrations/1764070000000-recent-commands-index';

/** The command acceptance path's tables, registered in the gateway's data source and migrations history. */
export const COMMAND_ACCEPTANCE_ENTITIES: (new () => object)[] = [
  CommandStatusEntity,
  IdempotencyKeyEntity,
];
export const COMMAND_ACCEPTANCE_MIGRATIONS: (new () => object)[] = [
  CreateCommandTables1764000000000,
  ScopeCommandsToTenants1764050000000,
  CommandDeadlines1764060000000,
  RecentCommandsIndex1764070000000,
];
