import { Catch, type ExceptionFilter, type INestApplication } from '@nestjs/common';
import { NestMicroservice } from '@nestjs/microservices';
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
  // Connected to an initialised app, a microservice registers its handlers at once, before any
  // filter it is then given (Nest warns that the filter is not applied, and it is not). Deferred,
  // it registers them when it starts, with the filter; the modules' init hooks already ran in
  // app.init(), so the microservice is told not to run them again.
  const microservice = app.connectMicroservice(
    { strategy: app.get(KafkaBatchServer) },
    { deferInitialization: true },
  );
  microservice.useGlobalFilters(new BatchHandlerErrors());
  if (microservice instanceof NestMicroservice) microservice.setIsInitHookCalled(true);
  await app.startAllMicroservices();
}
