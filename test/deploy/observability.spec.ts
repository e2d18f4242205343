import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// The operator-facing files in deploy/: the collector configuration and the alert rules.
// Neither can run here (no collector, no Prometheus), so what they promise is checked
// against the code they describe.

const root = join(__dirname, '..', '..');
const read = (...parts: string[]) => readFileSync(join(root, ...parts), 'utf8');

/** Every metric name Confer's own code registers, in Prometheus form (dots become underscores). */
function metricsConferRegisters(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      if (entry === 'node_modules' || entry === 'dist') continue;
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts') && !path.endsWith('.spec.ts')) {
        const source = readFileSync(path, 'utf8');
        for (const m of source.matchAll(
          /create(?:Observable)?(?:Counter|Gauge|Histogram|UpDownCounter)\(\s*'([a-z0-9_.]+)'/g,
        ))
          names.add(m[1].replace(/\./g, '_'));
      }
    }
  };
  for (const top of ['apps', 'libs']) walk(join(root, top));
  return names;
}

describe('the OpenTelemetry Collector configuration', () => {
  const config = parse(read('deploy', 'otel', 'collector.yaml'));

  it('uses only receivers, processors and exporters it defines', () => {
    for (const [name, pipeline] of Object.entries<any>(config.service.pipelines)) {
      for (const kind of ['receivers', 'processors', 'exporters'])
        for (const component of pipeline[kind] ?? [])
          expect({ pipeline: name, component, defined: component in (config[kind] ?? {}) }).toEqual({
            pipeline: name,
            component,
            defined: true,
          });
    }
    for (const extension of config.service.extensions) expect(config.extensions).toHaveProperty([extension]);
  });

  it('takes OTLP over HTTP on 4318, which is how Confer services export', () => {
    expect(config.receivers.otlp.protocols.http.endpoint).toMatch(/:4318$/);
    const telemetry = read('libs', 'telemetry', 'src', 'start-telemetry.ts');
    expect(telemetry).toContain("from '@opentelemetry/exporter-trace-otlp-http'");
    expect(config.service.pipelines.traces.receivers).toContain('otlp');
    expect(config.service.pipelines.metrics.receivers).toContain('otlp');
  });
});

/** The metric names a PromQL expression reads: label matchers, ranges and groupings dropped. */
function metricsIn(expr: string): string[] {
  const bare = expr
    .replace(/\b(by|without)\s*\([^)]*\)/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b\d+(\.\d+)?\b/g, ' ');
  const functions = new Set([
    'sum',
    'deriv',
    'max',
    'min',
    'avg',
    'count',
    'rate',
    'increase',
    'irate',
    'histogram_quantile',
  ]);
  return [...bare.matchAll(/\b[a-z_][a-z0-9_]*\b/g)].map((m) => m[0]).filter((name) => !functions.has(name));
}

// Metrics that come from outside Confer's own registrations: Prometheus itself, the NATS
// exporter, the kubelet and kube-state-metrics, and OpenTelemetry's HTTP instrumentation.
const EXTERNAL =
  /^(up|jetstream_\w+|container_\w+|kube_\w+|http_server_request_duration(_bucket|_count|_sum)?)$/;

/** Whether a Prometheus metric name is one Confer registers (counters gain `_total`). */
function registered(ours: Set<string>, metric: string): boolean {
  return ours.has(metric) || ours.has(metric.replace(/_(total|bucket|count|sum)$/, ''));
}

describe('the Prometheus alert rules', () => {
  const rules = parse(read('deploy', 'prometheus', 'confer-alerts.yaml'));
  const alerts = rules.groups.flatMap((g: any) => g.rules);
  const ours = metricsConferRegisters();

  it('gives every alert a severity, a summary and a description', () => {
    expect(alerts.length).toBeGreaterThan(3);
    for (const alert of alerts) {
      expect(alert.alert).toMatch(/^Confer[A-Z]\w+$/);
      expect(['warning', 'critical']).toContain(alert.labels.severity);
      expect(alert.annotations.summary).toBeTruthy();
      expect(alert.annotations.description).toBeTruthy();
    }
  });

  it('only watches metrics that exist: registered by Confer or by the exporters it names', () => {
    for (const alert of alerts) {
      const metrics = metricsIn(String(alert.expr));
      expect(metrics.length).toBeGreaterThan(0);
      for (const metric of metrics)
        expect({
          alert: alert.alert,
          metric,
          exists: EXTERNAL.test(metric) || registered(ours, metric),
        }).toEqual({
          alert: alert.alert,
          metric,
          exists: true,
        });
    }
  });

  it('watches the JetStream consumers by the names the services use', () => {
    const consumers = alerts
      .flatMap((a: any) => [...String(a.expr).matchAll(/consumer_name="([^"]+)"/g)].map((m) => m[1]))
      .sort();
    expect(consumers).toEqual(['stats', 'webhooks']);
    expect(read('apps', 'stats', 'src', 'config', 'stats.config.ts')).toContain(
      "STATS_CONSUMER: Type.String({ default: 'stats'",
    );
    expect(read('apps', 'webhooks', 'src', 'config', 'webhooks.config.ts')).toContain(
      "WEBHOOKS_CONSUMER: Type.String({ default: 'webhooks'",
    );
  });
});

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(read('deploy', 'grafana', 'confer-dashboard.json'));
  const ours = metricsConferRegisters();
  const panels = dashboard.panels.filter((p: any) => p.type !== 'row');

  it('draws only metrics that exist, from the datasource the importer picks', () => {
    expect(dashboard.templating.list.map((v: any) => v.name)).toContain('datasource');
    expect(panels.length).toBeGreaterThan(8);
    for (const panel of panels) {
      expect(panel.datasource.uid).toBe('${datasource}');
      expect(panel.targets.length).toBeGreaterThan(0);
      for (const target of panel.targets)
        for (const metric of metricsIn(target.expr))
          expect({
            panel: panel.title,
            metric,
            exists: EXTERNAL.test(metric) || registered(ours, metric),
          }).toEqual({
            panel: panel.title,
            metric,
            exists: true,
          });
    }
  });

  it('lays its panels out without overlaps and with distinct ids', () => {
    const ids = dashboard.panels.map((p: any) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const { gridPos: g, title } of dashboard.panels)
      for (let x = g.x; x < g.x + g.w; x += 1)
        for (let y = g.y; y < g.y + g.h; y += 1) {
          expect({ title, cell: `${x},${y}`, free: !cells.has(`${x},${y}`) }).toEqual({
            title,
            cell: `${x},${y}`,
            free: true,
          });
          cells.add(`${x},${y}`);
        }
    for (const { gridPos: g } of dashboard.panels) expect(g.x + g.w).toBeLessThanOrEqual(24);
  });
});
