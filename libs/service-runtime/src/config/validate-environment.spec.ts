import { IsInt, Max, Min } from 'class-validator';
import { BaseEnvironment } from './base-environment';
import { InvalidEnvironmentError, validateEnvironment } from './validate-environment';

class ExampleEnvironment extends BaseEnvironment {
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT: number = 8000;
}

describe('environment validation', () => {
  const validate = validateEnvironment(ExampleEnvironment);

  it('converts values and applies defaults', () => {
    const env = validate({ KAFKA_BROKERS: 'localhost:9092,kafka:29092', PORT: '8010' });
    expect(env).toMatchObject({ PORT: 8010, LOG_LEVEL: 'info', KAFKA_CLIENT_ID: 'event-hub' });
  });

  it('fails fast naming every bad variable', () => {
    let error: unknown;
    try {
      validate({ KAFKA_BROKERS: 'not a broker', PORT: '70000', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    const message = (error as Error).message;
    expect(message).toContain('KAFKA_BROKERS ("not a broker")');
    expect(message).toContain('PORT (70000): must not be greater than 65535');
    expect(message).toContain('LOG_LEVEL ("loud")');
  });

  it('checks the standard OTEL_* tracing variables, empty ones counting as unset', () => {
    const brokers = { KAFKA_BROKERS: 'localhost:9092' };
    expect(() =>
      validate({ ...brokers, OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_TRACES_SAMPLER_ARG: '' }),
    ).not.toThrow();
    expect(
      validate({
        ...brokers,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_TRACES_SAMPLER_ARG: '0.5',
      }),
    ).toMatchObject({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318' });
    const bad = {
      ...brokers,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'jaeger:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://jaeger:4317',
      OTEL_TRACES_EXPORTER: 'zipkin',
      OTEL_SDK_DISABLED: 'yes',
      OTEL_TRACES_SAMPLER_ARG: '1.5',
    };
    expect(() => validate(bad)).toThrow(InvalidEnvironmentError);
    try {
      validate(bad);
    } catch (error) {
      const named = (error as InvalidEnvironmentError).problems.map((p) => p.split(' ')[0]);
      expect(named.sort()).toEqual(
        Object.keys(bad)
          .filter((k) => k.startsWith('OTEL_'))
          .sort(),
      );
    }
  });

  it('binds HTTP to loopback unless told otherwise, and refuses an address that is none', () => {
    expect(validate({ KAFKA_BROKERS: 'localhost:9092' }).HTTP_HOST).toBe('127.0.0.1');
    for (const host of ['0.0.0.0', '::', 'localhost', 'monitor.internal']) {
      expect(validate({ KAFKA_BROKERS: 'localhost:9092', HTTP_HOST: host }).HTTP_HOST).toBe(host);
    }
    expect(() => validate({ KAFKA_BROKERS: 'localhost:9092', HTTP_HOST: 'http://x:80' })).toThrow(
      /HTTP_HOST \("http:\/\/x:80"\)/,
    );
  });

  it('names a missing required variable', () => {
    expect(() => validate({})).toThrow(/KAFKA_BROKERS \(missing\)/);
  });
});
