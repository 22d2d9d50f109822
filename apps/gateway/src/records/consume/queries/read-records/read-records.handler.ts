import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ConfigService } from '@nestjs/config';
import type { GatewayEnvironment } from '../../../../config/gateway.environment';
import { RateQuotas } from '../../../../quotas/rate-quotas';
import { TenantTopicDirectory } from '../../../../topics/tenant-topic-directory';
import { TopicNotFoundError } from '../../../../topics/shared/topic.errors';
import { UsageMeter } from '../../../../usage/usage-meter';
import { GatewayError } from '../../../../shared/http-errors';
import {
  ConsumeMeteringFailedError,
  ConsumePositionError,
  ConsumeReadFailedError,
} from '../../shared/consume.errors';
import {
  consumedRecordsAnswer,
  type WrittenReadAnswer,
} from '../../shared/consumed-records-answer';
import { ConsumeMetrics } from '../../shared/consume.metrics';
import { KafkaOffsets } from '../../shared/kafka-offsets';
import { resolvePositions } from '../../shared/resolve-positions';
import { physicalGroupId } from '../../shared/start-position';
import { TopicReaders } from '../../shared/topic-readers';
import type { ReadResult } from '../../shared/topic-reader';
import { ReadRecordsQuery } from './read-records.query';

/**
 * When records are known to be there (a position below the end of its partition), a read waits
 * this long for them even with maxWaitMs=0: the broker answers within a fetch, unless the records
 * belong to an aborted or still open transaction, which read-committed never delivers.
 */
const CATCH_UP_MS = 2000;

/** How old the watermarks a read starts from may be (see {@link ReadRecordsHandler.read}). */
const WATERMARKS_MAX_AGE_MS = 1000;

@QueryHandler(ReadRecordsQuery)
export class ReadRecordsHandler implements IQueryHandler<ReadRecordsQuery, WrittenReadAnswer> {
  private readonly maxResponseBytes: number;

  constructor(
    private readonly directory: TenantTopicDirectory,
    private readonly offsets: KafkaOffsets,
    private readonly readers: TopicReaders,
    private readonly quotas: RateQuotas,
    private readonly meter: UsageMeter,
    private readonly metrics: ConsumeMetrics,
    config: ConfigService<GatewayEnvironment, true>,
  ) {
    this.maxResponseBytes = config.get('GATEWAY_CONSUME_MAX_RESPONSE_BYTES');
  }

  async execute(query: ReadRecordsQuery): Promise<WrittenReadAnswer> {
    const started = process.hrtime.bigint();
    try {
      const answer = await this.read(query);
      this.metrics.requests.inc({ outcome: answer.records.length > 0 ? 'records' : 'empty' });
      return answer;
    } catch (error) {
      this.metrics.requests.inc({ outcome: error instanceof GatewayError ? error.code : 'error' });
      throw error;
    } finally {
      this.metrics.seconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  private async read(query: ReadRecordsQuery): Promise<WrittenReadAnswer> {
    const topic = await this.directory.find(query.tenantId, query.topicName);
    if (!topic) throw new TopicNotFoundError(query.topicName);
    await this.quotas.ready(query.tenantId);
    const headroom = await this.quotas.headroom(query.tenantId, 'consume');

    const eventTime = new Date().toISOString();
    let result: ReadResult;
    try {
      const plan = async (maxAgeMs: number) => {
        const watermarks = await this.offsets.watermarks(topic.physicalName, maxAgeMs);
        const positions = await resolvePositions(query.position, watermarks, query.partition, {
          offsetsAt: (at) => this.offsets.offsetsAt(topic.physicalName, at),
          groupOffsets: (group) =>
            this.offsets.groupOffsets(physicalGroupId(query.tenantId, group), topic.physicalName),
        });
        const behind = watermarks.some((w) => {
          const position = positions.get(w.partition);
          return position !== undefined && BigInt(position) < w.high;
        });
        return { positions, behind };
      };
      // Recent watermarks save a lookup per read; they are asked for fresh before an offset is
      // refused as past the end, or an answer is given without reading because nothing is there.
      let planned = await plan(WATERMARKS_MAX_AGE_MS).catch((error: unknown) => {
        if (error instanceof ConsumePositionError) return plan(0);
        throw error;
      });
      if (!planned.behind && query.maxWaitMs === 0) planned = await plan(0);
      const { positions, behind } = planned;
      const waitMs = behind ? Math.max(query.maxWaitMs, CATCH_UP_MS) : query.maxWaitMs;
      if (positions.size === 0 || waitMs === 0) {
        result = { records: [], next: positions };
      } else {
        result = await this.readers.read(topic.physicalName, {
          positions,
          limit: Math.min(query.limit, headroom.records),
          maxBytes: Math.min(this.maxResponseBytes, headroom.bytes),
          waitMs,
        });
      }
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      throw new ConsumeReadFailedError(`Reading ${query.topicName} failed: ${String(error)}`, {
        cause: error,
      });
    }

    const records = result.records;
    const nextOffsets = [...result.next]
      .sort(([a], [b]) => a - b)
      .map(([partition, offset]) => ({ partition, offset }));
    if (records.length === 0) {
      return { records, nextOffsets, json: consumedRecordsAnswer({ records, nextOffsets }) };
    }
    const bytes = records.reduce((sum, record) => sum + record.bytes, 0);
    this.quotas.charge(query.tenantId, 'consume', records.length, bytes);
    // The usage event is queued first and the answer written while it waits for its batch and
    // ack; the answer still leaves only once the consumption is metered.
    const metered = this.meter
      .meterConsumption({
        tenant: query.tenantId,
        topic: topic.name,
        clientId: query.clientId,
        messages: records.length,
        bytes,
        eventTime,
      })
      .then(
        () => undefined,
        (error: unknown) => new ConsumeMeteringFailedError(error),
      );
    const json = consumedRecordsAnswer({ records, nextOffsets });
    const failure = await metered;
    if (failure) throw failure;
    this.metrics.records.inc({ tenant: query.tenantId }, records.length);
    this.metrics.bytes.inc({ tenant: query.tenantId }, bytes);
    return { records, nextOffsets, json };
  }
}
