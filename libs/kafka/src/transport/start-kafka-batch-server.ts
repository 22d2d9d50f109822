import { Catch, type ExceptionFilter, type INestApplication } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';
import { KafkaBatchServer } from './kafka-batch.server';

/**
 * Hands a batch handler's error to the transport as it was thrown. Nest's default RPC filter
 * would log it and replace it with `{ status: 'error', message: 'Internal server error' }`, which
 * is all kafkajs would then log for the failed batch.
 */
@Catch()
export class BatchHandlerErrors implements ExceptionFilter {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}

/**
 * Connects the app's {@link KafkaBatchServer} as a microservice and starts its consumer groups;
 * call after `app.init()` (the features have registered their subscriptions by then). The app's
 * HTTP pipes and filters are not inherited: they speak problem details, not batches.
 */
export async function startKafkaBatchServer(app: INestApplication): Promise<void> {
  app
    .connectMicroservice({ strategy: app.get(KafkaBatchServer) })
    .useGlobalFilters(new BatchHandlerErrors());
  await app.startAllMicroservices();
}
