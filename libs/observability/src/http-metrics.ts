import { Inject, Injectable, type OnModuleInit, type Provider } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectMetric, makeHistogramProvider } from '@willsoto/nestjs-prometheus';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Histogram } from 'prom-client';

export const HTTP_REQUEST_DURATION = 'http_request_duration_seconds';

/** The route label of requests no route matched: their paths are whatever a client sent. */
export const UNMATCHED_ROUTE = 'unmatched';

type HttpLabel = 'method' | 'route' | 'status_code';

/**
 * Times every HTTP answer, including the ones a guard, a pipe or Fastify itself gave (401, 400,
 * 404), by method, route template and status. The route is the template (`/v1/topics/:topic`),
 * never the path, so ids in URLs cannot multiply the series.
 */
@Injectable()
export class HttpRequestTimer implements OnModuleInit {
  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @InjectMetric(HTTP_REQUEST_DURATION) private readonly duration: Histogram<HttpLabel>,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    // Apps without an HTTP server (a standalone context) have nothing to time.
    if (!fastify || typeof fastify.addHook !== 'function') return;
    fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
      this.duration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? UNMATCHED_ROUTE,
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
      done();
    });
  }
}

export const HTTP_METRICS: Provider[] = [
  makeHistogramProvider({
    name: HTTP_REQUEST_DURATION,
    help: 'Time to answer an HTTP request, by method, route template and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  }),
  HttpRequestTimer,
];
