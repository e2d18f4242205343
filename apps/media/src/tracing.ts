// Imported first by main.ts: instrumentation must patch http and express before they load.
import { startTelemetry } from '@confer/telemetry';

startTelemetry({ serviceName: 'media' });
