import { Controller, Get, Header, HttpStatus, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { PROMETHEUS_CONTENT_TYPE, renderPrometheusMetrics } from './prometheus-metrics';

interface StatusSettable {
  status(code: number): unknown;
}

@ApiTags('operations')
@Controller()
export class MetricsController {
  @Get('metrics')
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus scrape endpoint' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'Metrics in the Prometheus text exposition format',
    schema: { type: 'string' },
  })
  @ApiServiceUnavailableResponse({
    description: 'Telemetry was not started in this process',
    schema: { type: 'string' },
  })
  async metrics(@Res({ passthrough: true }) response: StatusSettable): Promise<string> {
    const text = await renderPrometheusMetrics();
    if (text !== undefined) return text;
    // A failing scrape shows up as a down target, which an empty 200 would hide.
    response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return '# telemetry not started: call startTelemetry() before bootstrapping\n';
  }
}
