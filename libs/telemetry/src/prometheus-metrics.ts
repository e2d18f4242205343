import { PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { getTelemetryState } from './telemetry-state';

/** The content type of the Prometheus text exposition format, version 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const serializer = new PrometheusSerializer();

/**
 * Collects every metric of the process and renders it in Prometheus text format,
 * or returns undefined when telemetry was not started (or is disabled through
 * OTEL_SDK_DISABLED, in which case the reader is never bound to a provider).
 */
export async function renderPrometheusMetrics(): Promise<string | undefined> {
  const state = getTelemetryState();
  if (!state) return undefined;
  try {
    const { resourceMetrics } = await state.prometheus.collect();
    return serializer.serialize(resourceMetrics);
  } catch {
    return undefined;
  }
}
