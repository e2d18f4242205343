// Imported first by main.ts: instrumentation must patch http, express and pg before they load.
import { startTelemetry } from '@confer/telemetry';

startTelemetry({ serviceName: 'recording' });
