import type { INestApplication } from '@nestjs/common';
import { KafkaBatchServer } from './kafka-batch.server';

/**
 * Connects the app's {@link KafkaBatchServer} as a microservice and starts its consumer groups;
 * call after `app.init()` (the features have registered their subscriptions by then). The app's
 * HTTP pipes and filters are not inherited: they speak problem details, not batches.
 */
export async function startKafkaBatchServer(app: INestApplication): Promise<void> {
  app.connectMicroservice({ strategy: app.get(KafkaBatchServer) });
  await app.startAllMicroservices();
}
