// POST /v1/auth/token throughput: client_credentials grants over keep-alive HTTP,
// driven by wrk (a C load generator, `apt-get install wrk`) so that the client takes
// little of the two cores from the service it measures.
// Target (issue #2): at least 1,500 tokens/s on the 2-core reference machine.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAuthService } from './support/auth-service.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

try {
  execFileSync('wrk', ['--version'], { stdio: 'ignore' });
} catch (error) {
  if (error.code === 'ENOENT') {
    console.error('wrk is needed: apt-get install wrk');
    process.exit(2);
  }
}

const auth = await startAuthService();
const authorization = `Basic ${Buffer.from(`${auth.org.apiKey}:${auth.org.apiKeySecret}`).toString('base64')}`;
const script = join(tmpdir(), `confer-token-bench-${process.pid}.lua`);
writeFileSync(
  script,
  `wrk.method = "POST"
wrk.body = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "${authorization}"
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\":%d,\\"seconds\\":%.2f,\\"non2xx\\":%d,\\"errors\\":%d,\\"p50\\":%.2f,\\"p90\\":%.2f,\\"p99\\":%.2f,\\"max\\":%.2f}\\n",
    summary.requests, summary.duration / 1e6, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
`,
);

const url = `${auth.baseUrl}/v1/auth/token`;
const run = (seconds) =>
  execFileSync('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '-s', script, url], { encoding: 'utf8' });

try {
  run(3); // warm-up: JIT, connection pools, key caches
  const line = run(SECONDS)
    .split('\n')
    .find((l) => l.startsWith('JSON '));
  const r = JSON.parse(line.slice(5));
  console.log(
    JSON.stringify({
      bench: 'token-endpoint',
      unit: 'tokens',
      connections: CONNECTIONS,
      seconds: r.seconds,
      total: r.requests,
      failures: r.non2xx + r.errors,
      perSecond: Math.round(r.requests / r.seconds),
      p50: r.p50,
      p90: r.p90,
      p99: r.p99,
      max: r.max,
    }),
  );
} finally {
  await auth.stop();
}
