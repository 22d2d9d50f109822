import { Injectable, Optional } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import {
  InvalidNameError,
  InvalidTenantIdError,
  TenantAlreadyExistsError,
  TenantNotFoundError,
} from '../errors';
import { AuthChangeListeners } from '../support/change-listeners';
import { isUniqueViolation } from '../support/postgres-errors';
import { withDefaultLimits, type TenantLimits } from './tenant-limits';
import { TenantEntity } from './tenant.entity';

export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;

export interface TenantView {
  id: string;
  name: string;
  disabled: boolean;
  limits: TenantLimits;
  createdAt: Date;
}

export interface CreateTenantInput {
  id: string;
  name: string;
  limits?: Partial<TenantLimits>;
}

/**
 * Tenants in Postgres; used alike by the admin routes and the admin CLI (which has no listeners:
 * it runs in a process of its own).
 */
@Injectable()
export class TenantsService {
  private readonly tenants: Repository<TenantEntity>;

  constructor(
    dataSource: DataSource,
    @Optional() private readonly listeners?: AuthChangeListeners,
  ) {
    this.tenants = dataSource.getRepository(TenantEntity);
  }

  async create(input: CreateTenantInput): Promise<TenantView> {
    if (!TENANT_ID_PATTERN.test(input.id)) throw new InvalidTenantIdError(input.id);
    const name = input.name.trim();
    if (name.length < 1 || name.length > 200) throw new InvalidNameError();
    const tenant = this.tenants.create({
      id: input.id,
      name,
      disabled: false,
      limits: withDefaultLimits(input.limits),
      createdAt: new Date(),
    });
    try {
      await this.tenants.insert(tenant);
    } catch (error) {
      if (isUniqueViolation(error)) throw new TenantAlreadyExistsError(input.id);
      throw error;
    }
    return toTenantView(tenant);
  }

  async list(): Promise<TenantView[]> {
    const rows = await this.tenants.find({ order: { id: 'ASC' } });
    return rows.map(toTenantView);
  }

  async get(id: string): Promise<TenantView> {
    const tenant = TENANT_ID_PATTERN.test(id) ? await this.tenants.findOneBy({ id }) : null;
    if (!tenant) throw new TenantNotFoundError(id);
    return toTenantView(tenant);
  }

  /** The tenant when it exists, undefined otherwise (no error: used on the request path). */
  async find(id: string): Promise<TenantView | undefined> {
    if (!TENANT_ID_PATTERN.test(id)) return undefined;
    const tenant = await this.tenants.findOneBy({ id });
    return tenant ? toTenantView(tenant) : undefined;
  }

  async setDisabled(id: string, disabled: boolean): Promise<TenantView> {
    const result = TENANT_ID_PATTERN.test(id)
      ? await this.tenants.update({ id }, { disabled })
      : { affected: 0 };
    if (!result.affected) throw new TenantNotFoundError(id);
    this.listeners?.tenantChanged(id);
    return this.get(id);
  }
}

export function toTenantView(tenant: TenantEntity): TenantView {
  return {
    id: tenant.id,
    name: tenant.name,
    disabled: tenant.disabled,
    limits: withDefaultLimits(tenant.limits),
    createdAt: tenant.createdAt,
  };
}
