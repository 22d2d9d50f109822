import { SpanStatusCode, context, trace, type Span } from '@opentelemetry/api';
import { SpanKind, tracer } from './spans';
import { extractTraceContext } from './trace-propagation';

/** Probes and scrapes: frequent, and of no interest in a trace. */
const UNTRACED = /^\/(health|metrics)(\/|\?|$)/;

/** The parts of Fastify's request and reply the tracing reads (any Fastify 5 fits). */
interface TracedRequest {
  method: string;
  url: string;
  headers: Record<string, unknown>;
  routeOptions: { url?: string };
}

interface TracedReply {
  statusCode: number;
  header(name: string, value: string): unknown;
}

type Hook = (request: TracedRequest, reply: TracedReply, done: () => void) => void;

/** A Fastify instance, as far as adding the two hooks goes. */
export interface HookableServer {
  addHook(name: 'onRequest' | 'onResponse', hook: Hook): unknown;
}

const spans = new WeakMap<TracedRequest, Span>();

/**
 * A server span per HTTP request, child of the caller's `traceparent` when it sent one, active for
 * everything the request does (handlers, the records it produces, its log lines). The answer
 * carries `traceresponse` (W3C Trace Context level 2) so a caller can find the trace of a request.
 */
export function traceHttpRequests(fastify: HookableServer): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (UNTRACED.test(request.url)) return done();
    const parent = extractTraceContext(request.headers);
    const span = tracer().startSpan(
      request.method,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': request.method } },
      parent,
    );
    spans.set(request, span);
    const { traceId, spanId, traceFlags } = span.spanContext();
    void reply.header('traceresponse', `00-${traceId}-${spanId}-0${traceFlags.toString(16)}`);
    // Fastify runs the rest of the request from `done`: it all inherits the span's context.
    context.with(trace.setSpan(parent, span), done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const span = spans.get(request);
    if (span) {
      if (span.isRecording()) {
        // The route pattern, not the path: ids in paths would make every name unique.
        const route = request.routeOptions.url;
        if (route) span.updateName(`${request.method} ${route}`);
        span.setAttributes({
          'http.route': route ?? '',
          'url.path': request.url.split('?')[0],
          'http.response.status_code': reply.statusCode,
        });
        if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      }
      span.end();
    }
    done();
  });
}
