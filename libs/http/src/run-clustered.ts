import cluster from 'cluster';

/**
 * Runs `start` in `workers` processes sharing one listening port (node:cluster), or
 * in this process when workers is 1. For a host where one service should use every
 * core (a single VM, a benchmark); under Kubernetes, prefer one worker per pod and
 * more replicas. A worker that dies is replaced; SIGTERM stops them all.
 */
export async function runClustered(workers: number, start: () => Promise<unknown>): Promise<void> {
  if (workers <= 1 || !cluster.isPrimary) {
    await start();
    return;
  }
  let stopping = false;
  const fork = () =>
    cluster.fork().on('exit', (code, signal) => {
      if (stopping) return;
      process.stderr.write(
        JSON.stringify({ level: 'error', msg: 'worker exited; replacing it', code, signal }) + '\n',
      );
      setTimeout(fork, 1000);
    });
  for (let i = 0; i < workers; i++) fork();
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
    const exitWhenDone = () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    };
    cluster.on('exit', exitWhenDone);
    exitWhenDone();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
