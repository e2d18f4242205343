import { Global, Module, OnApplicationShutdown } from '@nestjs/common';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { ReadinessRegistry } from './readiness.registry';
import { shutdownTelemetry } from './start-telemetry';

/**
 * Operational endpoints (/metrics, /healthz, /readyz) and the readiness registry.
 * Global so any module can inject ReadinessRegistry without importing this one.
 */
@Global()
@Module({
  controllers: [MetricsController, HealthController],
  providers: [ReadinessRegistry],
  exports: [ReadinessRegistry],
})
export class TelemetryModule implements OnApplicationShutdown {
  async onApplicationShutdown(signal?: string): Promise<void> {
    // Only a process signal means the process is going away; an app closed by a
    // test must not tear down the process-wide SDK other apps still use.
    if (signal) await shutdownTelemetry();
  }
}
