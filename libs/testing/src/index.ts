export * from './wait-for';
export * from './test-database';
export * from './kafka-test-topics';
export * from './tcp-proxy';
export * from './dev-services';
export * from './random-cpf';
export * from './unique-tenant-id';
export * from './platform-admin';
