import { startTelemetry } from '@confer/telemetry';

/**
 * What a service's tracing.ts does before main.ts builds it, for the services a test runs
 * in its own process: OpenTelemetry with the Prometheus reader behind `/metrics`, tracer
 * and W3C propagator. Call it before the service's module is built: meters taken before
 * the provider is in place stay no-ops.
 *
 * OpenTelemetry's providers are process globals that can be set once. Under Jest the
 * globals belong to a spec file (each file runs with its own global object and module
 * registry, even when a worker process runs many files), so each file starts its own; within
 * a file the first start wins and later ones are no-ops: every service started in the file
 * shares it (and one name). A test that wants spans exported, or another name, starts it
 * itself before any harness does. Closing a service leaves it running; a `shutdownTelemetry()`
 * in a file's afterAll stops it and lets a later start begin afresh. HTTP is not
 * instrumented in Jest (its module loader bypasses the patching), so no HTTP spans.
 */
export function startInProcessTelemetry(serviceName: string): void {
  // No exporter from the caller's environment: a developer's collector gets no test spans.
  startTelemetry({ serviceName, env: {} });
}
