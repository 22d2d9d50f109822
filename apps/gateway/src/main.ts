import { ConfigService } from '@nestjs/config';
import { startKafkaBatchServer } from '@event-hub/kafka';
import { createHttpService, runService } from '@event-hub/service-runtime';
import type { GatewayEnvironment } from './config/gateway.environment';
import { configureGateway } from './configure-gateway';
import { GatewayModule } from './gateway.module';

runService('gateway', async () => {
  const app = await createHttpService(GatewayModule.forRoot(), { configure: configureGateway });
  await app.init();
  // The reply group joins in the background: serving requests does not wait for it.
  await startKafkaBatchServer(app);
  const config = app.get<ConfigService<GatewayEnvironment, true>>(ConfigService);
  await app.listen(config.get('GATEWAY_PORT'), config.get('HTTP_HOST'));
});
