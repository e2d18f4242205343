// Preloaded into a service by a bench (`--require ./bench/support/count-writes.cjs`): counts
// socket writes by peer (PostgreSQL, NATS, HTTP answers) and prints them when it stops. A round
// trip is one write, so counts per HTTP answer are round trips per request; unlike rates,
// they stay exact on a busy machine.
const net = require('node:net');
const { writeSync } = require('node:fs');

const pgPort = Number(process.env.COUNT_WRITES_PG_PORT ?? 5432);
const natsPort = Number(new URL(process.env.NATS_URL ?? 'nats://127.0.0.1:4222').port || 4222);
const counts = { postgres: 0, nats: 0, http: 0, other: 0 };
const original = net.Socket.prototype._writeGeneric;
net.Socket.prototype._writeGeneric = function (writev, data, encoding, cb) {
  if (this.remotePort === pgPort) counts.postgres++;
  else if (this.remotePort === natsPort) counts.nats++;
  else if (this.server) counts.http++;
  else counts.other++;
  return original.call(this, writev, data, encoding, cb);
};
// Printed at the first SIGTERM (Nest re-raises it after its shutdown hooks, so 'exit' never
// comes), or at exit.
let printed = false;
const print = () => {
  if (printed) return;
  printed = true;
  const per = (n) => (counts.http ? Math.round((n / counts.http) * 100) / 100 : null);
  writeSync(
    2,
    JSON.stringify({
      writes: counts,
      perHttpAnswer: { postgres: per(counts.postgres), nats: per(counts.nats) },
    }) + '\n',
  );
};
process.once('SIGTERM', print);
process.on('exit', print);
