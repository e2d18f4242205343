import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { ReadableSpan, SimpleSpanProcessor, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** One span as an OTLP/HTTP JSON export carries it, with the service that sent it. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}

const valueOf = (v: OtlpValue): unknown => v.stringValue ?? v.intValue ?? v.boolValue ?? v.doubleValue;

const otlpValue = (v: AttributeValue | undefined): OtlpValue => {
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: v } : { doubleValue: v };
  return { stringValue: Array.isArray(v) ? JSON.stringify(v) : String(v) };
};
const otlpAttributes = (attributes: Attributes): OtlpAttribute[] =>
  Object.entries(attributes).map(([key, value]) => ({ key, value: otlpValue(value) }));

/** Ended spans as an OTLP/HTTP JSON export request carries them (span kinds counted from 1). */
function otlpRequest(spans: readonly ReadableSpan[]): string {
  return JSON.stringify({
    resourceSpans: spans.map((span) => ({
      resource: { attributes: otlpAttributes(span.resource.attributes) },
      scopeSpans: [
        {
          scope: { name: span.instrumentationScope.name },
          spans: [
            {
              traceId: span.spanContext().traceId,
              spanId: span.spanContext().spanId,
              parentSpanId: span.parentSpanContext?.spanId ?? '',
              name: span.name,
              kind: span.kind + 1,
              attributes: otlpAttributes(span.attributes),
            },
          ],
        },
      ],
    })),
  });
}
const attributesOf = (list: OtlpAttribute[] = []) =>
  Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));

/**
 * An OpenTelemetry collector's OTLP/HTTP trace endpoint, as small as a test needs: services
 * started with OTEL_EXPORTER_OTLP_ENDPOINT pointing here export their spans to it (JSON, the
 * encoding of Confer's exporter), and the test reads them.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<OtlpReceiver> {
    const server = http.createServer();
    const receiver = new OtlpReceiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/v1/traces') receiver.collect(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /**
   * A span processor for services run in the test's own process (startTelemetry's
   * spanProcessors): it posts each span here as OTLP/HTTP JSON, as the OTLP exporter of a
   * built service does (that exporter loads its HTTP transport in a way Jest refuses).
   */
  spanProcessor(): SpanProcessor {
    const url = `${this.endpoint}/v1/traces`;
    return new SimpleSpanProcessor({
      export: (spans, done) => {
        fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: otlpRequest(spans),
        })
          .then(() => done({ code: ExportResultCode.SUCCESS }))
          .catch((error: Error) => done({ code: ExportResultCode.FAILED, error }));
      },
      shutdown: async () => undefined,
    });
  }

  /** The base URL to give services as OTEL_EXPORTER_OTLP_ENDPOINT. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private collect(body: string): void {
    const parsed = JSON.parse(body) as {
      resourceSpans?: {
        resource?: { attributes?: OtlpAttribute[] };
        scopeSpans?: {
          spans?: (Omit<ReceivedSpan, 'service' | 'attributes'> & { attributes?: OtlpAttribute[] })[];
        }[];
      }[];
    };
    for (const resourceSpans of parsed.resourceSpans ?? []) {
      const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name'] ?? '');
      for (const scope of resourceSpans.scopeSpans ?? [])
        for (const span of scope.spans ?? [])
          this.spans.push({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId ?? '',
            name: span.name,
            kind: span.kind,
            attributes: attributesOf(span.attributes),
          });
    }
  }

  inTrace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  async close(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
  }
}
