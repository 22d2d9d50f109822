export * from './kafka-batch';
export * from './kafka-batch.context';
export * from './kafka-batch-subscription';
export * from './kafka-batch.server';
export * from './start-kafka-batch-server';
