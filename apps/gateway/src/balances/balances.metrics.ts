import { Injectable, type Provider } from '@nestjs/common';
import { InjectMetric, makeCounterProvider, makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Counter, Gauge } from 'prom-client';

const RECORDS = 'gateway_balances_records_total';
const LAG = 'gateway_balances_lag_records';
const ACCOUNTS = 'gateway_balances_accounts';
const READY = 'gateway_balances_ready';
const SNAPSHOTS = 'gateway_balances_snapshots_total';

/** The balance view's Prometheus series. */
@Injectable()
export class BalancesMetrics {
  constructor(
    @InjectMetric(RECORDS) readonly records: Counter<'outcome'>,
    @InjectMetric(LAG) readonly lag: Gauge,
    @InjectMetric(ACCOUNTS) readonly accounts: Gauge,
    @InjectMetric(READY) readonly ready: Gauge,
    @InjectMetric(SNAPSHOTS) readonly snapshots: Counter<'outcome'>,
  ) {}
}

export const BALANCES_METRICS: Provider[] = [
  makeCounterProvider({
    name: RECORDS,
    help: 'Records of the balance topic read by the view, by outcome (applied, stale, removed, absent, invalid)',
    labelNames: ['outcome'],
  }),
  makeGaugeProvider({
    name: LAG,
    help: 'Records of the balance topic the view has not read yet (high watermark minus position, all partitions)',
  }),
  makeGaugeProvider({ name: ACCOUNTS, help: 'Accounts in the balance view' }),
  makeGaugeProvider({
    name: READY,
    help: '1 once the balance view caught up to the end offsets it saw at start, else 0',
  }),
  makeCounterProvider({
    name: SNAPSHOTS,
    help: 'Balance snapshot loads and writes, by outcome (loaded, missing, invalid, written, failed)',
    labelNames: ['outcome'],
  }),
  BalancesMetrics,
];
