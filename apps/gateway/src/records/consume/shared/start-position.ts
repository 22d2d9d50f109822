/**
 * Where a consume request starts, from its query: `fromOffset` (one offset for every partition or
 * `p:o,p:o`), `fromTime` (ISO-8601), `group` (the group's committed offsets) or none (earliest).
 */
export type StartPosition =
  | { kind: 'earliest' }
  | { kind: 'offset'; offset: bigint }
  | { kind: 'offsets'; offsets: Map<number, bigint> }
  | { kind: 'time'; at: Date }
  | { kind: 'group'; group: string };

export interface PositionQuery {
  fromOffset?: string;
  fromTime?: string;
  group?: string;
}

export type PositionProblem = { field: string; message: string };

const OFFSET = /^(0|[1-9]\d{0,18})$/;
const PARTITION_OFFSETS =
  /^(0|[1-9]\d{0,4}):(0|[1-9]\d{0,18})(,(0|[1-9]\d{0,4}):(0|[1-9]\d{0,18}))*$/;
// ISO-8601 date-time with a zone (a time without one would be read in the gateway's zone).
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
export const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const MAX_OFFSET = 2n ** 63n - 1n;

/** The start position, or the problems naming each bad field (answered 400). */
export function parseStartPosition(
  query: PositionQuery,
): { position: StartPosition } | { problems: PositionProblem[] } {
  const given = (['fromOffset', 'fromTime', 'group'] as const).filter(
    (field) => query[field] !== undefined && query[field] !== '',
  );
  if (given.length > 1) {
    return {
      problems: given.map((field) => ({
        field: `query.${field}`,
        message: `give one start position at most: fromOffset, fromTime or group (got ${given.join(', ')})`,
      })),
    };
  }
  if (query.fromOffset !== undefined && query.fromOffset !== '') {
    const text = query.fromOffset;
    if (OFFSET.test(text) && BigInt(text) <= MAX_OFFSET) {
      return { position: { kind: 'offset', offset: BigInt(text) } };
    }
    if (PARTITION_OFFSETS.test(text)) {
      const offsets = new Map<number, bigint>();
      for (const pair of text.split(',')) {
        const [partition = '', offset = ''] = pair.split(':');
        if (offsets.has(Number(partition)) || BigInt(offset) > MAX_OFFSET) {
          return {
            problems: [
              {
                field: 'query.fromOffset',
                message: `partition ${partition} appears twice or its offset is too large`,
              },
            ],
          };
        }
        offsets.set(Number(partition), BigInt(offset));
      }
      return { position: { kind: 'offsets', offsets } };
    }
    return {
      problems: [
        {
          field: 'query.fromOffset',
          message:
            'fromOffset must be an offset (e.g. 15) or partition:offset pairs (e.g. 0:15,1:20)',
        },
      ],
    };
  }
  if (query.fromTime !== undefined && query.fromTime !== '') {
    const at = new Date(query.fromTime);
    if (!ISO_INSTANT.test(query.fromTime) || Number.isNaN(at.getTime())) {
      return {
        problems: [
          {
            field: 'query.fromTime',
            message:
              'fromTime must be an ISO-8601 date-time with a zone, e.g. 2026-01-31T12:00:00Z',
          },
        ],
      };
    }
    return { position: { kind: 'time', at } };
  }
  if (query.group !== undefined && query.group !== '') {
    if (!GROUP_NAME.test(query.group)) {
      return {
        problems: [
          {
            field: 'query.group',
            message: 'group must be 1-100 letters, digits, dots, underscores or dashes',
          },
        ],
      };
    }
    return { position: { kind: 'group', group: query.group } };
  }
  return { position: { kind: 'earliest' } };
}

/** The Kafka group of a tenant's named group: tenants never share one. */
export function physicalGroupId(tenantId: string, group: string): string {
  return `tenant.${tenantId}.${group}`;
}
