import { readTraceSettings } from './trace-settings';

describe('readTraceSettings', () => {
  it('exports nothing when no OTLP endpoint is configured', () => {
    expect(readTraceSettings('gateway', {})).toEqual({ serviceName: 'gateway', sampleRatio: 1 });
  });

  it('sends to <OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces, or to the traces endpoint as given', () => {
    expect(
      readTraceSettings('gateway', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318/' }),
    ).toMatchObject({ exportUrl: 'http://jaeger:4318/v1/traces' });
    expect(
      readTraceSettings('gateway', {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector/otlp/traces',
      }),
    ).toMatchObject({ exportUrl: 'https://collector/otlp/traces' });
  });

  it('takes OTEL_SERVICE_NAME and OTEL_TRACES_SAMPLER_ARG', () => {
    expect(
      readTraceSettings('gateway', { OTEL_SERVICE_NAME: 'edge', OTEL_TRACES_SAMPLER_ARG: '0.25' }),
    ).toEqual({ serviceName: 'edge', sampleRatio: 0.25 });
  });

  it('exports nothing when the SDK is disabled or the exporter is none', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' };
    expect(
      readTraceSettings('gateway', { ...endpoint, OTEL_SDK_DISABLED: 'true' }).exportUrl,
    ).toBeUndefined();
    expect(
      readTraceSettings('gateway', { ...endpoint, OTEL_TRACES_EXPORTER: 'none' }).exportUrl,
    ).toBeUndefined();
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'jaeger:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://jaeger' }, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'],
    [{ OTEL_TRACES_EXPORTER: 'zipkin' }, 'OTEL_TRACES_EXPORTER'],
    [{ OTEL_TRACES_EXPORTER: 'otlp' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ OTEL_TRACES_SAMPLER_ARG: '2' }, 'OTEL_TRACES_SAMPLER_ARG'],
    [{ OTEL_SDK_DISABLED: 'yes' }, 'OTEL_SDK_DISABLED'],
  ])('refuses %j naming %s', (env, variable) => {
    expect(() => readTraceSettings('gateway', env)).toThrow(variable);
  });
});
