import type { OnModuleDestroy } from '@nestjs/common';
import type { BatchObservableCallback, Counter, Meter, ObservableGauge } from '@opentelemetry/api';
import { getMeter } from '@confer/telemetry';
import type { Peer } from './peers/peer';
import type { RoomRegistry } from './rooms/room-registry';
import type { PeerAdmissionListener } from './signaling/requests/join-room';
import type { WorkerPool } from './workers/worker-pool';

/**
 * The media service's instruments on /metrics: what this process carries now (read
 * from its rooms when a scrape collects), the CPU its workers used, and why peers left.
 */
export class MediaMetrics implements PeerAdmissionListener, OnModuleDestroy {
  // Made at app start-up, after startTelemetry: a meter taken at import time would stay a no-op.
  readonly #meter: Meter = getMeter('@confer/media');
  readonly #admitted: Counter = this.#meter.createCounter('media.peers_admitted', {
    description: 'Peers seated on this server',
  });
  readonly #closed: Counter = this.#meter.createCounter('media.peers_closed', {
    description: 'Peers that closed here, by reason',
  });
  readonly #rooms: ObservableGauge = this.#meter.createObservableGauge('media.rooms', {
    description: 'Rooms (routers) live on this server',
  });
  readonly #peers: ObservableGauge = this.#meter.createObservableGauge('media.peers', {
    description: 'Peers seated, by whether a signaling socket carries them now',
  });
  readonly #producers: ObservableGauge = this.#meter.createObservableGauge('media.producers', {
    description: 'Producers, by kind',
  });
  readonly #consumers: ObservableGauge = this.#meter.createObservableGauge('media.consumers', {
    description: 'Consumers, by kind',
  });
  readonly #workerCpu: ObservableGauge = this.#meter.createObservableGauge('media.worker_cpu_seconds', {
    description: 'CPU time (user + system) each mediasoup worker has used, by pid',
    unit: 's',
  });
  readonly #callback: BatchObservableCallback;
  readonly #instruments: ObservableGauge[];

  constructor(rooms: RoomRegistry, workers: WorkerPool) {
    this.#instruments = [this.#rooms, this.#peers, this.#producers, this.#consumers, this.#workerCpu];
    this.#callback = async (result) => {
      const live = rooms.all;
      const peers = live.flatMap((room) => room.localPeers);
      const count = <T extends { kind: string }>(items: T[], kind: string) =>
        items.filter((i) => i.kind === kind).length;
      const producers = peers.flatMap((p) => p.producers);
      const consumers = peers.flatMap((p) => p.consumers);
      result.observe(this.#rooms, live.length);
      result.observe(this.#peers, peers.filter((p) => p.attached).length, { attached: 'true' });
      result.observe(this.#peers, peers.filter((p) => !p.attached).length, { attached: 'false' });
      for (const kind of ['audio', 'video']) {
        result.observe(this.#producers, count(producers, kind), { kind });
        result.observe(this.#consumers, count(consumers, kind), { kind });
      }
      for (const { pid, cpuSeconds } of await workers.cpuUsage()) {
        result.observe(this.#workerCpu, cpuSeconds, { pid: String(pid) });
      }
    };
    this.#meter.addBatchObservableCallback(this.#callback, this.#instruments);
  }

  admitted(peer: Peer): void {
    this.#admitted.add(1);
    peer.once('close', (reason) => this.#closed.add(1, { reason }));
  }

  onModuleDestroy(): void {
    this.#meter.removeBatchObservableCallback(this.#callback, this.#instruments);
  }
}
