export * from './logging.options';
export * from './metrics.controller';
export * from './observability.module';
export * from './http-metrics';
