import type { NodeSDK } from '@opentelemetry/sdk-node';
import type { PrometheusExporter } from '@opentelemetry/exporter-prometheus';

/**
 * Process-wide telemetry state. The OpenTelemetry API is itself a set of process
 * globals, so the SDK that feeds it must be a singleton too; keeping the handles
 * here lets the Nest controllers reach the exporter without the service wiring it.
 */
export interface TelemetryState {
  sdk: NodeSDK;
  prometheus: PrometheusExporter;
  serviceName: string;
  serviceVersion?: string;
  shutdown?: Promise<void>;
}

let state: TelemetryState | undefined;

export function getTelemetryState(): TelemetryState | undefined {
  return state;
}

export function setTelemetryState(next: TelemetryState | undefined): void {
  state = next;
}
