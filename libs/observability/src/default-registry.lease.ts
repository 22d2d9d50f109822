import type { OnApplicationShutdown } from '@nestjs/common';
import { collectDefaultMetrics, register } from 'prom-client';

/** Nest apps of this process holding the default registry. */
let holders = 0;

/**
 * Interval of the timer behind `nodejs_eventloop_lag_*` (prom-client's default is 10 ms). That
 * timer wakes the event loop on its own: at 10 ms an idle monitor woke ~250 times a second instead
 * of ~40 (tools/bench/README.md, session 9). The lag of each tick is still measured to the
 * nanosecond; 100 ms only takes fewer samples.
 */
const EVENT_LOOP_MONITORING_PRECISION_MS = 100;

/**
 * Ties prom-client's default registry, the one every `make*Provider` metric is created on, to the
 * lifetime of the Nest apps of the process, and labels its series with the service name.
 *
 * A deployed service is one app per process, so this only decides what happens where one process
 * runs several apps (integration tests, one module registry per test file):
 * - apps alive at the same time share one set of series: `make*Provider` returns the metric
 *   already registered under a name (registering it twice would throw), so their counters add up
 *   and a gauge's `collect` reads the app that created it;
 * - when the last of them closes the registry is emptied, so the next app starts from zero, as a
 *   restarted process would, with its own gauges (an app that failed to start and was never
 *   closed keeps holding it: the apps after it share its series).
 * Node's default metrics are collected here rather than by `PrometheusModule.register`, which
 * collects them each time it is called and so throws for a second app while the first one lives.
 */
export class DefaultRegistryLease implements OnApplicationShutdown {
  private released = false;

  constructor(service: string) {
    holders += 1;
    if (!register.getSingleMetric('process_cpu_user_seconds_total'))
      collectDefaultMetrics({ eventLoopMonitoringPrecision: EVENT_LOOP_MONITORING_PRECISION_MS });
    register.setDefaultLabels({ service });
  }

  onApplicationShutdown(): void {
    if (this.released) return;
    this.released = true;
    holders -= 1;
    if (holders === 0) register.clear();
  }
}
