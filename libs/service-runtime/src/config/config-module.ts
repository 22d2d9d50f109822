import { ConfigModule } from '@nestjs/config';
import type { ClassConstructor } from 'class-transformer';
import type { DynamicModule } from '@nestjs/common';
import { validateEnvironment } from './validate-environment';

/**
 * Global, validated configuration: real environment variables win over the repository's `.env`
 * (read from the working directory, or ENV_FILE), and an invalid value stops the service at start.
 */
export function configModuleFor<T extends object>(
  schema: ClassConstructor<T>,
): Promise<DynamicModule> {
  return ConfigModule.forRoot({
    isGlobal: true,
    cache: true,
    envFilePath: process.env['ENV_FILE'] ?? '.env',
    validate: validateEnvironment(schema),
  });
}
