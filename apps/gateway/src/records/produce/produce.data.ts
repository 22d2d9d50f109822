import { ProduceIdempotencyEntity } from './idempotency/produce-idempotency.entity';
import { CreateProduceIdempotency1764200000001 } from './migrations/1764200000001-create-produce-idempotency';
import { ProduceIdempotencyClaims1764200000002 } from './migrations/1764200000002-produce-idempotency-claims';

/** The produce feature's table, registered in the gateway's data source and migrations history. */
export const PRODUCE_ENTITIES: (new () => object)[] = [ProduceIdempotencyEntity];
export const PRODUCE_MIGRATIONS: (new () => object)[] = [
  CreateProduceIdempotency1764200000001,
  ProduceIdempotencyClaims1764200000002,
];
