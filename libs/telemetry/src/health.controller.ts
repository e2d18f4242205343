import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { LivenessResponse, NotReadyResponse, ReadyResponse } from './health.dto';
import { ReadinessRegistry } from './readiness.registry';

/** The slice of the platform response used here; Express and Fastify both have it. */
interface StatusSettable {
  status(code: number): unknown;
}

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(private readonly readiness: ReadinessRegistry) {}

  @Get('healthz')
  @ApiOperation({ summary: 'Liveness: the process is running and serving HTTP' })
  @ApiOkResponse({ type: LivenessResponse })
  healthz(): LivenessResponse {
    return { status: 'ok' };
  }

  @Get('readyz')
  @ApiOperation({ summary: 'Readiness: every dependency the service needs is reachable' })
  @ApiOkResponse({ type: ReadyResponse })
  @ApiServiceUnavailableResponse({ type: NotReadyResponse })
  async readyz(
    @Res({ passthrough: true }) response: StatusSettable,
  ): Promise<ReadyResponse | NotReadyResponse> {
    const report = await this.readiness.run();
    if (report.ready) return { status: 'ready', checks: report.checks };
    // Not an exception: the probe body keeps its own shape, not the error envelope.
    response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'not_ready', checks: report.checks };
  }
}
