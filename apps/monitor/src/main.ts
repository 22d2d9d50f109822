import { ConfigService } from '@nestjs/config';
import { createHttpService, runService } from '@event-hub/service-runtime';
import type { MonitorEnvironment } from './config/monitor.environment';
import { setupSwagger } from './docs/swagger';
import { MonitorModule } from './monitor.module';

runService('monitor', async () => {
  const app = await createHttpService(MonitorModule.forRoot(), { configure: setupSwagger });
  const config = app.get<ConfigService<MonitorEnvironment, true>>(ConfigService);
  await app.listen(config.get('MONITOR_PORT'), config.get('HTTP_HOST'));
});
