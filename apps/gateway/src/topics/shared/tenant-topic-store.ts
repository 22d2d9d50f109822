import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { TenantTopicEntity } from './tenant-topic.entity';

/** The `tenant_topics` table. */
@Injectable()
export class TenantTopicStore {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Runs `change` while holding the tenant's topic lock (a Postgres advisory lock, so it holds
   * across gateway instances and is released if the instance dies): topic changes of one tenant
   * take turns, which keeps the maxTopics count and the Kafka-then-row steps free of races.
   */
  async withTenantLock<T>(
    tenantId: string,
    change: (topics: Repository<TenantTopicEntity>) => Promise<T>,
  ): Promise<T> {
    const runner = this.db.createQueryRunner();
    await runner.connect();
    try {
      await runner.query("SELECT pg_advisory_lock(hashtext('tenant_topics:' || $1))", [tenantId]);
      try {
        return await change(runner.manager.getRepository(TenantTopicEntity));
      } finally {
        await runner.query("SELECT pg_advisory_unlock(hashtext('tenant_topics:' || $1))", [
          tenantId,
        ]);
      }
    } finally {
      await runner.release();
    }
  }

  findReady(tenantId: string, name: string): Promise<TenantTopicEntity | null> {
    return this.repository().findOneBy({ tenantId, name, status: 'READY' });
  }

  listReady(tenantId: string): Promise<TenantTopicEntity[]> {
    return this.repository().find({ where: { tenantId, status: 'READY' }, order: { name: 'ASC' } });
  }

  private repository(): Repository<TenantTopicEntity> {
    return this.db.getRepository(TenantTopicEntity);
  }
}
