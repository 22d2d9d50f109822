import { ConfigService } from '@nestjs/config';
import { startKafkaBatchServer } from '@event-hub/kafka';
import { createHttpService, runService } from '@event-hub/service-runtime';
import type { MonitorEnvironment } from './config/monitor.environment';
import { setupSwagger } from './docs/swagger';
import { MonitorModule } from './monitor.module';

runService('monitor', async () => {
  const app = await createHttpService(MonitorModule.forRoot(), { configure: setupSwagger });
  await app.init();
  // Ingestion reads once the app is initialised (the fallback store open, Elasticsearch probed).
  await startKafkaBatchServer(app);
  const config = app.get<ConfigService<MonitorEnvironment, true>>(ConfigService);
  await app.listen(config.get('MONITOR_PORT'), config.get('HTTP_HOST'));
});
