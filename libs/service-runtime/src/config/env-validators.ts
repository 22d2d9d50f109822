import { isFQDN, isIP, registerDecorator, type ValidationOptions } from 'class-validator';

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

/** A comma-separated list of `host:port` Kafka bootstrap servers. */
export function IsBrokerList(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isBrokerList',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'must be a comma-separated list of host:port', ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && value.split(',').every((b) => HOST_PORT.test(b.trim())),
      },
    });
}

/** A URL whose protocol is one of `protocols` (e.g. postgres:, http:). */
export function IsUrlWithProtocol(
  protocols: string[],
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isUrlWithProtocol',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `must be a URL starting with ${protocols.join(' or ')}//`, ...options },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          try {
            return protocols.includes(new URL(value).protocol);
          } catch {
            return false;
          }
        },
      },
    });
}

/** An address a server can bind: an IPv4/IPv6 address or a host name (`localhost`, `api.local`). */
export function IsListenAddress(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isListenAddress',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: 'must be an IP address or a host name (127.0.0.1 locally, 0.0.0.0 in containers)',
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          (isIP(value) || isFQDN(value, { require_tld: false, allow_underscores: false })),
      },
    });
}
