import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type PageAsset = 'index.html' | 'page.js' | 'page.css';

const CONTENT_TYPES: Record<PageAsset, string> = {
  'index.html': 'text/html; charset=utf-8',
  'page.js': 'text/javascript; charset=utf-8',
  'page.css': 'text/css; charset=utf-8',
};

/**
 * Only what the page loads, and only from the gateway itself: no inline script or style, no
 * other origin, not framable. The page's data comes from this origin's /platform routes.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/**
 * The page's files, read once at start. The build copies them next to main.js
 * (`dist/apps/gateway/platform-page/`); from the sources (unit tests) they are in ./assets.
 */
export class PageAssets {
  private readonly files = new Map<PageAsset, Buffer>();

  constructor(directory = PageAssets.locate()) {
    for (const name of Object.keys(CONTENT_TYPES) as PageAsset[]) {
      this.files.set(name, readFileSync(join(directory, name)));
    }
  }

  static locate(): string {
    const built = join(__dirname, 'platform-page');
    return existsSync(join(built, 'index.html')) ? built : join(__dirname, 'assets');
  }

  get(name: PageAsset): { body: Buffer; contentType: string } {
    return { body: this.files.get(name) as Buffer, contentType: CONTENT_TYPES[name] };
  }
}
