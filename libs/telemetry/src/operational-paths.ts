/** Routes served for operators and probes rather than for users. */
export const METRICS_PATH = '/metrics';
export const HEALTH_PATH = '/healthz';
export const READINESS_PATH = '/readyz';

const OPERATIONAL_PATHS = new Set([METRICS_PATH, HEALTH_PATH, READINESS_PATH]);

/**
 * Probes and scrapes arrive every few seconds; tracing them would drown real
 * traffic in the trace backend and skew the request-duration histogram.
 */
export function isOperationalPath(url: string | undefined): boolean {
  if (!url) return false;
  const query = url.indexOf('?');
  return OPERATIONAL_PATHS.has(query === -1 ? url : url.slice(0, query));
}
