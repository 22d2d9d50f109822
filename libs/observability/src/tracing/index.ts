export * from './http-tracing';
export * from './spans';
export * from './trace-propagation';
export * from './trace-settings';
export * from './tracing';
