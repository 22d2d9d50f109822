import type { NestFastifyApplication } from '@nestjs/platform-fastify';

interface KnownRoute {
  method: string;
  pattern: RegExp;
}

/**
 * The routes the server has, as Fastify registers them, so that a request for a known path with
 * another method can be answered 405 with `Allow` instead of 404. Fastify's router says only "no
 * route"; it has no lookup by concrete path.
 */
export class RouteTable {
  private readonly routes: KnownRoute[] = [];

  /** Records every route registered from now on (call before the app registers its routes). */
  static attach(app: NestFastifyApplication): RouteTable {
    const table = new RouteTable();
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRoute', (route) => {
        const methods = Array.isArray(route.method) ? route.method : [route.method];
        for (const method of methods) table.add(String(method), route.url ?? route.path ?? '');
      });
    return table;
  }

  add(method: string, url: string): void {
    this.routes.push({ method: method.toUpperCase(), pattern: patternOf(url) });
  }

  /** The methods some route serves `path` with (no query string), sorted. */
  allowedMethods(path: string): string[] {
    const methods = new Set(
      this.routes.filter((route) => route.pattern.test(path)).map((route) => route.method),
    );
    return [...methods].sort();
  }
}

/** find-my-way syntax: `:name` is one segment, `*` the rest of the path. */
function patternOf(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((part) =>
      part === '*'
        ? '.*'
        : part.startsWith(':')
          ? '[^/]+'
          : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`);
}
