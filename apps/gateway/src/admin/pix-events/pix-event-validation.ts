import type { ErrorObject, ValidateFunction } from 'ajv';
import {
  PIX_EXCHANGE,
  pixEventSchema,
  type EventEnvelope,
  type PixEventType,
  type PixRoutingKey,
  type PixStageTopic,
} from '@event-hub/contracts';
import type { FieldError } from '@event-hub/service-runtime';
import { newSchemaAjv } from '../../schemas/shared/json-schema';
import { valueProblems } from '../../schemas/validation/value-problems';

/** A PIX event that passed its schema: the envelope with a tenant and an object as `data`. */
export type PixEvent = EventEnvelope<Record<string, unknown>> & { tenantId: string };

/** Where an operator's PIX event goes: one of the five stage topics, or the `pix` exchange. */
export type PixPublishTarget =
  | { kind: 'kafka'; topic: PixStageTopic }
  | { kind: 'rabbitmq'; exchange: typeof PIX_EXCHANGE; routingKey: PixRoutingKey };

/** The target as the request states it, each value already checked against the catalog. */
export interface RequestedTarget {
  kafkaTopic?: PixStageTopic;
  exchange?: typeof PIX_EXCHANGE;
  routingKey?: PixRoutingKey;
}

/**
 * One of the two forms, `{kafkaTopic}` or `{exchange, routingKey}`, or the problems naming what is
 * missing or mixed.
 */
export function targetOf(target: RequestedTarget): PixPublishTarget | FieldError[] {
  const { kafkaTopic, exchange, routingKey } = target;
  if (kafkaTopic !== undefined) {
    if (exchange === undefined && routingKey === undefined) {
      return { kind: 'kafka', topic: kafkaTopic };
    }
    return [
      {
        field: 'body.target',
        message: 'target must be either {kafkaTopic} or {exchange, routingKey}, not both',
      },
    ];
  }
  if (exchange !== undefined && routingKey !== undefined) {
    return { kind: 'rabbitmq', exchange, routingKey };
  }
  if (exchange === undefined && routingKey === undefined) {
    return [
      {
        field: 'body.target',
        message: 'target must be either {kafkaTopic} or {exchange, routingKey}',
      },
    ];
  }
  const missing = exchange === undefined ? 'exchange' : 'routingKey';
  return [{ field: `body.target.${missing}`, message: `${missing} is required with the exchange` }];
}

/** The event type a target carries: a stage topic's name, or the routing key. */
export const eventTypeOf = (target: PixPublishTarget): PixEventType =>
  target.kind === 'kafka' ? target.topic : target.routingKey;

/**
 * Checks an event against the JSON Schema of its target's event type (libs/contracts), naming each
 * bad field as `body.event.<path>`. Validators are compiled once per event type, on first use.
 */
export class PixEventValidator {
  private readonly compiled = new Map<PixEventType, ValidateFunction>();

  /** The event, typed, when it matches the schema; otherwise the problems. */
  check(eventType: PixEventType, event: unknown): PixEvent | FieldError[] {
    const validate = this.validatorOf(eventType);
    if (validate(event)) return event as PixEvent;
    return valueProblems(0, validate.errors ?? []).map((problem, i) => {
      const path = problem.path
        .split('/')
        .slice(1)
        .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
      const name = path.at(-1) ?? 'event';
      return {
        field: ['body.event', ...path].join('.'),
        message: `${name} ${detailOf(validate.errors?.[i], problem.message)}`,
      };
    });
  }

  private validatorOf(eventType: PixEventType): ValidateFunction {
    let validate = this.compiled.get(eventType);
    if (!validate) {
      validate = newSchemaAjv().compile(pixEventSchema(eventType));
      this.compiled.set(eventType, validate);
    }
    return validate;
  }
}

/** ajv's message, with the allowed values spelled out where ajv leaves them in its params. */
function detailOf(error: ErrorObject | undefined, message: string): string {
  const params = (error?.params ?? {}) as Record<string, unknown>;
  if (error?.keyword === 'enum' && Array.isArray(params['allowedValues'])) {
    return `must be one of: ${params['allowedValues'].join(', ')}`;
  }
  if (error?.keyword === 'const') return `must be ${JSON.stringify(params['allowedValue'])}`;
  return message;
}
