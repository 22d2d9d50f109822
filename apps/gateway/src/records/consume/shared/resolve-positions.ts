import { ConsumePositionError } from './consume.errors';
import type { Watermarks } from './kafka-offsets';
import type { StartPosition } from './start-position';

export interface PositionLookups {
  offsetsAt(at: Date): Promise<Map<number, bigint>>;
  groupOffsets(group: string): Promise<Map<number, bigint>>;
}

/**
 * Partition → offset to read from. An offset below the earliest retained one (deleted by
 * retention) is read from the earliest; one past the end of the partition is a 400 naming the
 * range (nextOffsets of an answer are never past the end, so a client only gets there by
 * mistake). A time after the last record, like a group with nothing committed on a partition,
 * starts at the end (time) or the earliest record (group).
 */
export async function resolvePositions(
  position: StartPosition,
  watermarks: readonly Watermarks[],
  onlyPartition: number | undefined,
  lookups: PositionLookups,
): Promise<Map<number, string>> {
  const byPartition = new Map(watermarks.map((w) => [w.partition, w]));
  if (onlyPartition !== undefined && !byPartition.has(onlyPartition)) {
    throw new ConsumePositionError(
      'query.partition',
      `The topic has partitions 0 to ${watermarks.length - 1}`,
    );
  }
  let partitions = watermarks.map((w) => w.partition);
  if (position.kind === 'offsets') {
    for (const partition of position.offsets.keys()) {
      if (!byPartition.has(partition)) {
        throw new ConsumePositionError(
          'query.fromOffset',
          `Partition ${partition} does not exist; the topic has partitions 0 to ${watermarks.length - 1}`,
        );
      }
    }
    partitions = [...position.offsets.keys()];
  }
  if (onlyPartition !== undefined) partitions = partitions.filter((p) => p === onlyPartition);

  const clamp = (w: Watermarks, offset: bigint, field: string): bigint => {
    if (offset > w.high) {
      throw new ConsumePositionError(
        field,
        `Offset ${offset} is past the end of partition ${w.partition} (offsets ${w.low} to ${w.high})`,
        { partition: w.partition, low: w.low.toString(), high: w.high.toString() },
      );
    }
    return offset < w.low ? w.low : offset;
  };

  const markOf = (partition: number): Watermarks => {
    const w = byPartition.get(partition);
    if (!w) throw new Error(`no watermarks for partition ${partition}`); // filtered above
    return w;
  };
  const result = new Map<number, string>();
  switch (position.kind) {
    case 'earliest':
      for (const p of partitions) result.set(p, markOf(p).low.toString());
      break;
    case 'offset':
      for (const p of partitions) {
        result.set(p, clamp(markOf(p), position.offset, 'query.fromOffset').toString());
      }
      break;
    case 'offsets':
      for (const p of partitions) {
        const offset = position.offsets.get(p) ?? 0n;
        result.set(p, clamp(markOf(p), offset, 'query.fromOffset').toString());
      }
      break;
    case 'time': {
      const offsets = await lookups.offsetsAt(position.at);
      for (const p of partitions) {
        const w = markOf(p);
        const offset = offsets.get(p) ?? -1n;
        result.set(p, (offset < 0n ? w.high : offset < w.low ? w.low : offset).toString());
      }
      break;
    }
    case 'group': {
      const offsets = await lookups.groupOffsets(position.group);
      for (const p of partitions) {
        const w = markOf(p);
        const offset = offsets.get(p) ?? -1n;
        // A committed offset past the end (the topic was re-created) restarts at the end.
        const start = offset < w.low ? w.low : offset > w.high ? w.high : offset;
        result.set(p, start.toString());
      }
      break;
    }
  }
  return result;
}
