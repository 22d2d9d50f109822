/** How this process traces, read from the standard OpenTelemetry variables. */
export interface TraceSettings {
  /** `service.name` of the spans (OTEL_SERVICE_NAME, else the service's own name). */
  serviceName: string;
  /** Where spans are sent (OTLP over HTTP); undefined: ids are made and propagated, nothing exported. */
  exportUrl?: string;
  /** Share of new traces recorded when exporting (OTEL_TRACES_SAMPLER_ARG, default 1). */
  sampleRatio: number;
}

export type TraceEnvironment = Readonly<Record<string, string | undefined>>;

const EXPORTERS = ['otlp', 'none'];

/**
 * Reads OTEL_SDK_DISABLED, OTEL_TRACES_EXPORTER (`otlp` or `none`), OTEL_EXPORTER_OTLP_ENDPOINT
 * (`/v1/traces` is appended, as the specification says), OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (used
 * as is), OTEL_SERVICE_NAME and OTEL_TRACES_SAMPLER_ARG. Throws naming the variable at fault, so a
 * service fails at start rather than silently losing its traces.
 */
export function readTraceSettings(service: string, env: TraceEnvironment): TraceSettings {
  const serviceName = nonEmpty(env['OTEL_SERVICE_NAME']) ?? service;
  const sampleRatio = ratio(env['OTEL_TRACES_SAMPLER_ARG']);
  const exporter = nonEmpty(env['OTEL_TRACES_EXPORTER'])?.toLowerCase();
  if (exporter !== undefined && !EXPORTERS.includes(exporter))
    throw invalid('OTEL_TRACES_EXPORTER', `must be one of ${EXPORTERS.join(', ')}`);
  const disabled = nonEmpty(env['OTEL_SDK_DISABLED'])?.toLowerCase();
  if (disabled !== undefined && disabled !== 'true' && disabled !== 'false')
    throw invalid('OTEL_SDK_DISABLED', 'must be true or false');
  const tracesEndpoint = httpUrl(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const endpoint = httpUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  if (disabled === 'true' || exporter === 'none') return { serviceName, sampleRatio };
  const exportUrl =
    tracesEndpoint ?? (endpoint ? `${endpoint.replace(/\/+$/, '')}/v1/traces` : undefined);
  if (exporter === 'otlp' && exportUrl === undefined)
    throw invalid(
      'OTEL_EXPORTER_OTLP_ENDPOINT',
      'must be set when OTEL_TRACES_EXPORTER is otlp (e.g. http://jaeger:4318)',
    );
  return { serviceName, sampleRatio, exportUrl };
}

function httpUrl(env: TraceEnvironment, name: string): string | undefined {
  const value = nonEmpty(env[name]);
  if (value === undefined) return undefined;
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw invalid(name, 'must be an http:// or https:// URL');
  }
  if (protocol !== 'http:' && protocol !== 'https:')
    throw invalid(name, 'must be an http:// or https:// URL');
  return value;
}

function ratio(value: string | undefined): number {
  const text = nonEmpty(value);
  if (text === undefined) return 1;
  const parsed = Number(text);
  if (!Number.isFinite(parsed) || parsed < 0 || parsed > 1)
    throw invalid('OTEL_TRACES_SAMPLER_ARG', 'must be a number from 0 to 1');
  return parsed;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function invalid(name: string, why: string): Error {
  return new Error(`Invalid environment: ${name} ${why}`);
}
