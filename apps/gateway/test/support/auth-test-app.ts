import { createPublicKey, createHmac, type KeyObject } from 'node:crypto';
import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CqrsModule } from '@nestjs/cqrs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { IsUrlWithProtocol } from '@event-hub/service-runtime';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import {
  ApiClientsService,
  AUTH_ENTITIES,
  configureSwaggerAuth,
  markPublicOperations,
  AUTH_GUARDS,
  AUTH_MIGRATIONS,
  generateSigningKeyPem,
  Principal,
  Public,
  RequireScopes,
  SCOPES,
  TenantsService,
  type AuthPrincipal,
  type IssuedClientSecret,
  type Scope,
} from '@event-hub/auth';
import { ObservabilityModule } from '@event-hub/observability';
import { PersistenceModule } from '@event-hub/persistence';
import { BaseEnvironment, configModuleFor, createHttpService } from '@event-hub/service-runtime';
import { AdminModule } from '../../src/admin/admin.module';
import { AuthModule } from '../../src/auth/auth.module';

class AuthTestEnvironment extends BaseEnvironment {
  @IsUrlWithProtocol(['postgres:', 'postgresql:'])
  DATABASE_URL!: string;
}

/** Routes standing for the gateway's features: one per kind of protection. */
@Controller('probe')
class ProbeController {
  @Public()
  @Get('open')
  open(): { open: true } {
    return { open: true };
  }

  @Get('authenticated')
  authenticated(@Principal() principal: AuthPrincipal): AuthPrincipal {
    return principal;
  }

  @RequireScopes(SCOPES.eventsProduce)
  @Get('produce')
  produce(@Principal() principal: AuthPrincipal): AuthPrincipal {
    return principal;
  }

  @RequireScopes(SCOPES.billingRead, SCOPES.admin)
  @Get('billing-admin')
  billingAdmin(@Principal() principal: AuthPrincipal): AuthPrincipal {
    return principal;
  }
}

/** Stands for the gateway's HealthController, which cannot carry `@Public()`. */
@Controller('health')
class HealthStandInController {
  @Get()
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}

@Module({})
class AuthTestModule {
  static forRoot(): DynamicModule {
    return {
      module: AuthTestModule,
      imports: [
        configModuleFor(AuthTestEnvironment),
        ObservabilityModule.forService('auth-test'),
        CqrsModule.forRoot(),
        PersistenceModule.forRootAsync({
          migrationsTableName: 'gateway_migrations',
          entities: [...AUTH_ENTITIES],
          migrations: [...AUTH_MIGRATIONS],
          inject: [ConfigService],
          useFactory: (config: ConfigService) => String(config.get('DATABASE_URL')),
          poolSize: 4,
        }),
        AuthModule.forRoot(),
        AdminModule,
      ],
      controllers: [ProbeController, HealthStandInController],
      providers: [...AUTH_GUARDS],
    };
  }
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, unknown>;
}

/**
 * The auth and admin modules in a small app of their own, wired as the gateway will wire them,
 * on a test database. Environment overrides apply while the app is built, then are put back.
 */
export class AuthTestApp {
  private constructor(readonly app: NestFastifyApplication) {}

  static async start(
    overrides: Record<string, string>,
    options: { swagger?: boolean } = {},
  ): Promise<AuthTestApp> {
    // .env names the key file `npm start` generates; a test brings its own key unless it says so.
    const env = { AUTH_JWT_PRIVATE_KEY_FILE: '', ...overrides };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const app = await createHttpService(AuthTestModule.forRoot(), {
        ...(options.swagger ? { configure: setupSwaggerAsTheGatewayWill } : {}),
      });
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
      return new AuthTestApp(app);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  }

  get tenants(): TenantsService {
    return this.app.get(TenantsService);
  }

  get clients(): ApiClientsService {
    return this.app.get(ApiClientsService);
  }

  /** A tenant (created if missing) with a new client holding `scopes`. */
  async client(
    tenantId: string,
    scopes: Scope[],
    name = 'test-client',
  ): Promise<IssuedClientSecret> {
    if (!(await this.tenants.find(tenantId))) {
      await this.tenants.create({ id: tenantId, name: `Tenant ${tenantId}` });
    }
    return this.clients.create(tenantId, { name, scopes });
  }

  /** POST /oauth/token with a JSON body. */
  async requestToken(
    body: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<TokenAnswer> {
    const response = await this.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: body,
      headers,
    });
    return { status: response.statusCode, body: response.json(), headers: response.headers };
  }

  /** An access token for a client, via the token endpoint. */
  tokenFor(issued: IssuedClientSecret, scope?: string): Promise<string> {
    return this.tokenForCredentials(issued.client.clientId, issued.clientSecret, scope);
  }

  async tokenForCredentials(
    clientId: string,
    clientSecret: string,
    scope?: string,
  ): Promise<string> {
    const answer = await this.requestToken({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      ...(scope === undefined ? {} : { scope }),
    });
    if (answer.status !== 200) throw new Error(`token refused: ${JSON.stringify(answer.body)}`);
    return String(answer.body['access_token']);
  }

  inject(options: InjectOptions): Promise<LightMyRequestResponse> {
    return this.app.inject(options);
  }

  get(url: string, token?: string): Promise<LightMyRequestResponse> {
    return this.app.inject({
      method: 'GET',
      url,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

/** What the gateway's setupSwagger does once wired: bearer and OAuth2 schemes, public routes open. */
function setupSwaggerAsTheGatewayWill(app: NestFastifyApplication): void {
  const config = configureSwaggerAuth(new DocumentBuilder().setTitle('Event Hub API')).build();
  const document = markPublicOperations(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
}

/** A fresh RSA signing key as the AUTH_JWT_PRIVATE_KEY variable holds it. */
export const testSigningKey = (): string => generateSigningKeyPem();

export const publicPemOf = (privatePem: string): string =>
  createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();

const segment = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT signed with HS256, using `secret` (e.g. our public key PEM) as the HMAC key. */
export function hmacToken(header: object, payload: object, secret: string | KeyObject): string {
  const input = `${segment({ alg: 'HS256', ...header })}.${segment(payload)}`;
  const key = typeof secret === 'string' ? secret : secret.export().toString();
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

/** An unsigned JWT (`alg: none`). */
export function unsignedToken(header: object, payload: object): string {
  return `${segment({ ...header, alg: 'none' })}.${segment(payload)}.`;
}

/** The payload of a JWT, unverified. */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
}
