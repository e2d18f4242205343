// The gateway of `npm start` in its own process, for browser tests (Jest cannot load ES
// modules in-process): CONFER_TEST_TABLE is the route table, CONFER_UPSTREAMS the running services.
import { startGateway } from '../../../../deploy/local/gateway.mjs';

const table = JSON.parse(process.env.CONFER_TEST_TABLE);
const upstreams = JSON.parse(process.env.CONFER_UPSTREAMS);
const port = Number(process.env.PORT);
await startGateway(table, { port, host: '127.0.0.1', upstreams });
process.stdout.write('ready\n');
process.on('SIGTERM', () => process.exit(0));
