import { Injectable, Logger, RequestMethod, type OnModuleInit } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, HttpAdapterHost, MetadataScanner } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { JwtAuthGuard } from './jwt-auth.guard';
import { PublicRoutes } from './public-routes';

/**
 * Authenticates before the body is read: an `onRequest` hook verifies the bearer token of every
 * request to a route that needs one, so a caller without a valid token gets 401 before any byte
 * of its body is parsed or validated (Nest's guards run only after Fastify has parsed the body).
 * It runs the guard's own check ({@link JwtAuthGuard.authenticateBeforeBody}); when the guard's
 * turn comes, passport's strategy accepts the principal found here instead of verifying the token
 * again. Which routes need a token is read from the same `@Public()` metadata and public route
 * patterns the guard uses.
 */
@Injectable()
export class AuthenticateFirst implements OnModuleInit {
  private readonly logger = new Logger(AuthenticateFirst.name);
  private protectedRoutes?: Set<string>;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly publicRoutes: PublicRoutes,
    private readonly guard: JwtAuthGuard,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    // Not an HTTP app (the admin CLI), or not Fastify: the guard alone protects the routes.
    if (typeof fastify?.addHook !== 'function') return;
    fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!this.needsToken(request)) return;
      await this.guard.authenticateBeforeBody(request, reply);
    });
  }

  private needsToken(request: FastifyRequest): boolean {
    const { url, method } = request.routeOptions;
    if (url === undefined || this.publicRoutes.isPublicPattern(url)) return false;
    this.protectedRoutes ??= this.scanProtectedRoutes();
    return this.protectedRoutes.has(routeKey(method === 'HEAD' ? 'GET' : String(method), url));
  }

  /** `METHOD /path` of every controller route that is not public, as Nest registers it. */
  private scanProtectedRoutes(): Set<string> {
    const routes = new Set<string>();
    for (const wrapper of this.discovery.getControllers()) {
      const { metatype, instance } = wrapper;
      if (!metatype || !instance) continue;
      const controllerPaths = pathsOf(Reflect.getMetadata(PATH_METADATA, metatype));
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[name] as object;
        const method: unknown = Reflect.getMetadata(METHOD_METADATA, handler);
        if (typeof method !== 'number' || method === RequestMethod.ALL) continue;
        if (this.publicRoutes.isPublicHandler(handler, metatype)) continue;
        for (const controllerPath of controllerPaths) {
          for (const methodPath of pathsOf(Reflect.getMetadata(PATH_METADATA, handler))) {
            routes.add(routeKey(RequestMethod[method], joinPaths(controllerPath, methodPath)));
          }
        }
      }
    }
    this.logger.debug(`${routes.size} routes need a token before their body is read`);
    return routes;
  }
}

const routeKey = (method: string, url: string): string => `${method} ${url}`;

function pathsOf(metadata: unknown): string[] {
  if (Array.isArray(metadata)) return metadata.map(String);
  return [typeof metadata === 'string' ? metadata : ''];
}

/** Nest's joining of a controller and a method path: one slash between, none at the end. */
function joinPaths(...parts: string[]): string {
  const path = parts
    .map((part) => part.replace(/^\/+|\/+$/g, ''))
    .filter((part) => part !== '')
    .join('/');
  return `/${path}`;
}
