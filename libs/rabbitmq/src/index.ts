export * from './rabbit-channel';
export * from './publish-confirmed';
