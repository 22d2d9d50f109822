export * from './envelope/event-envelope';
export * from './envelope/event-envelope.schema';
export * from './envelope/headers';
export * from './topics/topic-catalog';
export * from './commands/user-commands';
export * from './replies/command-reply';
export * from './commands/preferences-limits';
export * from './usage/usage-event';
