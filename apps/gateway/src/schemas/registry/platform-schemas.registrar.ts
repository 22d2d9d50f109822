import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AUTH_SETTINGS, type AuthSettings } from '@event-hub/auth';
import { platformSchemas } from '@event-hub/contracts';
import { SchemaRegistry } from './schema-registry';

/**
 * Registers the platform's own event schemas (libs/contracts) under the platform tenant at every
 * start. Idempotent: an unchanged schema answers its existing version, so every instance and every
 * restart may do it, concurrently too. A release whose schema is not BACKWARD compatible with the
 * registered one fails the start, naming the reasons, rather than publishing events its readers
 * were promised they could read.
 */
@Injectable()
export class PlatformSchemasRegistrar implements OnApplicationBootstrap {
  private readonly logger = new Logger(PlatformSchemasRegistrar.name);

  constructor(
    private readonly registry: SchemaRegistry,
    @Inject(AUTH_SETTINGS) private readonly settings: AuthSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const tenantId = this.settings.platformTenantId;
    let created = 0;
    for (const { subject, schema } of platformSchemas()) {
      const registration = await this.registry.register(tenantId, subject, schema);
      if (registration.created) created += 1;
    }
    this.logger.log(
      `Platform schemas registered under tenant ${tenantId} (${created} new version(s))`,
    );
  }
}
