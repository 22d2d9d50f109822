import { ConfigService } from '@nestjs/config';
import { startKafkaBatchServer } from '@event-hub/kafka';
import { createHttpService, runService } from '@event-hub/service-runtime';
import type { ProcessorEnvironment } from './config/processor.environment';
import { ProcessorModule } from './processor.module';

runService('processor', async () => {
  const app = await createHttpService(ProcessorModule.forRoot());
  await app.init();
  // Consumers start once the app is initialised (migrations applied, stand-in topics provisioned).
  await startKafkaBatchServer(app);
  const config = app.get<ConfigService<ProcessorEnvironment, true>>(ConfigService);
  await app.listen(config.get('PROCESSOR_PORT'), config.get('HTTP_HOST'));
});
