import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PrometheusController } from '@willsoto/nestjs-prometheus';

/**
 * prom-client's default registry in the text format, at the path `PrometheusModule.register` gives
 * it (`/metrics`). A subclass only to keep the scrape endpoint out of the OpenAPI documents; it
 * needs no token because `/metrics` is on the auth library's public route patterns.
 */
@ApiExcludeController()
@Controller()
export class MetricsController extends PrometheusController {}
