import { cpus } from 'os';
import type { types } from 'mediasoup';

export interface WorkerPoolOptions {
  /** How many workers; 0 means one per core. */
  count: number;
  workerBin: string;
  logLevel: types.WorkerLogLevel;
  rtcMinPort: number;
  rtcMaxPort: number;
  /**
   * What happens when a worker dies: by default the process ends (with a fatal log)
   * so the orchestrator restarts it, since a dead worker's rooms are gone.
   */
  onWorkerDied?: (worker: types.Worker, error: Error) => void;
}

interface PooledWorker {
  worker: types.Worker;
  /** Routers plus transports open on this worker: a cheap stand-in for its CPU use. */
  load: number;
}

function exitOnDeath(worker: types.Worker, error: Error): void {
  process.stderr.write(
    JSON.stringify({
      level: 'fatal',
      service: 'media',
      msg: 'mediasoup worker died; exiting so the orchestrator restarts this process',
      pid: worker.pid,
      error: String(error),
    }) + '\n',
  );
  setTimeout(() => process.exit(1), 100).unref();
}

/** mediasoup reads MEDIASOUP_WORKER_BIN when it is first loaded. */
async function loadMediasoup(workerBin: string): Promise<typeof import('mediasoup')> {
  process.env.MEDIASOUP_WORKER_BIN = workerBin;
  const mediasoup = await import('mediasoup');
  if (mediasoup.workerBin !== workerBin) {
    throw new Error(`mediasoup was loaded earlier with worker ${mediasoup.workerBin}, not ${workerBin}`);
  }
  return mediasoup;
}

/** The mediasoup worker processes of this service, handing out the least-loaded one. */
export class WorkerPool {
  readonly #workers: PooledWorker[];
  #closed = false;

  private constructor(workers: PooledWorker[]) {
    this.#workers = workers;
  }

  static async create(options: WorkerPoolOptions): Promise<WorkerPool> {
    const mediasoup = await loadMediasoup(options.workerBin);
    const count = options.count > 0 ? options.count : Math.max(1, cpus().length);
    const onDied = options.onWorkerDied ?? exitOnDeath;
    const pooled: PooledWorker[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const worker = await mediasoup.createWorker({
          logLevel: options.logLevel,
          rtcMinPort: options.rtcMinPort,
          rtcMaxPort: options.rtcMaxPort,
        });
        pooled.push(WorkerPool.#track(worker));
      }
    } catch (error) {
      for (const p of pooled) p.worker.close();
      throw error;
    }
    const pool = new WorkerPool(pooled);
    for (const p of pooled) {
      p.worker.on('died', (error) => {
        if (!pool.#closed) onDied(p.worker, error);
      });
    }
    return pool;
  }

  static #track(worker: types.Worker): PooledWorker {
    const entry: PooledWorker = { worker, load: 0 };
    const opened = () => entry.load++;
    const closed = () => entry.load--;
    worker.observer.on('newrouter', (router) => {
      opened();
      router.observer.once('close', closed);
      router.observer.on('newtransport', (transport) => {
        opened();
        transport.observer.once('close', closed);
      });
    });
    return entry;
  }

  get size(): number {
    return this.#workers.length;
  }

  /** Each worker's pid and load, for health and tests. */
  get loads(): Array<{ pid: number; load: number }> {
    return this.#workers.map(({ worker, load }) => ({ pid: worker.pid, load }));
  }

  /** CPU time each worker has used (user + system, seconds); a worker that cannot answer is left out. */
  async cpuUsage(): Promise<Array<{ pid: number; cpuSeconds: number }>> {
    const usages = await Promise.allSettled(this.#workers.map(({ worker }) => worker.getResourceUsage()));
    return usages.flatMap((usage, i) =>
      usage.status === 'fulfilled'
        ? [
            {
              pid: this.#workers[i].worker.pid,
              cpuSeconds: (usage.value.ru_utime + usage.value.ru_stime) / 1000,
            },
          ]
        : [],
    );
  }

  /** The worker with the fewest routers and transports; ties go to the earliest. */
  leastLoaded(): types.Worker {
    if (this.#closed) throw new Error('the worker pool is closed');
    let best = this.#workers[0];
    for (const candidate of this.#workers) if (candidate.load < best.load) best = candidate;
    return best.worker;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const { worker } of this.#workers) worker.close();
  }
}
