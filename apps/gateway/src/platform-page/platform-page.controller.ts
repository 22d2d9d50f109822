import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@event-hub/auth';
import type { FastifyReply } from 'fastify';
import { PAGE_SECURITY_HEADERS, PageAssets, type PageAsset } from './page-assets';

/**
 * The platform page and its two files: public like /docs, since they hold no data (the page asks
 * the /platform routes for it, the recent commands with the token it signs in for).
 */
@ApiExcludeController()
@Public()
@Controller()
export class PlatformPageController {
  constructor(private readonly assets: PageAssets) {}

  @Get()
  @Header('cache-control', 'no-cache')
  page(@Res() reply: FastifyReply): void {
    this.send(reply, 'index.html');
  }

  @Get('platform/assets/page.js')
  @Header('cache-control', 'no-cache')
  script(@Res() reply: FastifyReply): void {
    this.send(reply, 'page.js');
  }

  @Get('platform/assets/page.css')
  @Header('cache-control', 'no-cache')
  style(@Res() reply: FastifyReply): void {
    this.send(reply, 'page.css');
  }

  private send(reply: FastifyReply, name: PageAsset): void {
    const asset = this.assets.get(name);
    void reply.headers(PAGE_SECURITY_HEADERS).type(asset.contentType).send(asset.body);
  }
}
