export * from './entities/billing.entity';
export * from './migrations/1764400000000-create-billing';
export * from './constraints';
export * from './billing-data';
