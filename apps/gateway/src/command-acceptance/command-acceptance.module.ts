import { Module } from '@nestjs/common';
import { GATEWAY_METRICS, GatewayMetrics } from '../metrics/gateway.metrics';
import { expiredRowsCleanup } from '../shared/expired-rows-cleanup';
import { CommandAcceptor } from './command-acceptor';
import { CommandRejectionsFilter } from './command-http';
import { CommandProducer } from './command-producer';
import { CommandStore } from './command-store';
import { OverdueCommandsSweeper } from './overdue-commands-sweeper';

/**
 * The HTTP→Kafka command path: a command is remembered in Postgres (status and Idempotency-Key),
 * produced to `user_events` in a Kafka transaction and answered 202. Features that accept commands
 * (users) import it for {@link CommandAcceptor}; status reads and writes through {@link CommandStore}.
 */
@Module({
  providers: [
    ...GATEWAY_METRICS,
    CommandStore,
    CommandProducer,
    CommandAcceptor,
    CommandRejectionsFilter,
    expiredRowsCleanup('Idempotency-Keys', CommandStore, (store) => store.deleteExpiredKeys()),
    OverdueCommandsSweeper,
  ],
  exports: [GatewayMetrics, CommandStore, CommandAcceptor, CommandRejectionsFilter],
})
export class CommandAcceptanceModule {}
