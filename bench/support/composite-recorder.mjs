// Room composites (apps/recording's RoomComposite, from its build) in a Node process of
// their own, as the recording service runs them: one process, any number of recordings.
// The media they ask for comes from the parent over IPC, from a MediaFeed the parent
// implements (for example against mediasoup routers directly), so that the process's own
// CPU time and its ffmpeg children's are the recordings' cost and nothing else.
//
//   const recorder = await startCompositeRecorder({ feeds: new Map([[roomId, feed]]) });
//   await recorder.start([{ roomId, roster, partDir, workDir }], compositeOptions);
//   await recorder.stats()   // per room: frames, skipped, dropped, seconds written, tiles
//   await recorder.finish()  // per room: the finished part (durationSeconds, mp4, …)
//   await recorder.stop();
//
// `feed` is { consume(producerId, target, tileHeight), requestKeyFrame(consumerId),
// release(consumerId) }, the recording app's MediaFeed port.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const self = fileURLToPath(import.meta.url);
const root = join(dirname(self), '..', '..');
const DELAY_RESOLUTION_MS = 10;

export async function startCompositeRecorder({ feeds, nodeArgs = [], onWarning = () => {} }) {
  const child = fork(self, ['--child'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
    execArgv: nodeArgs,
  });
  const pending = new Map();
  let next = 0;
  let exited = null;
  const exit = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      for (const { reject } of pending.values())
        reject(new Error(`composite recorder exited (${code ?? signal})`));
      pending.clear();
      resolve(exited);
    }),
  );
  child.on('message', async (message) => {
    if (message.type === 'answer') {
      const p = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) p?.reject(new Error(message.error));
      else p?.resolve(message.result);
    } else if (message.type === 'feed') {
      // The composite asks for media: the parent's feed for that room answers.
      const { id, roomId, method, args } = message;
      try {
        const feed = feeds.get(roomId);
        if (!feed) throw new Error(`no feed for room ${roomId}`);
        const result = await feed[method](...args);
        child.send({ type: 'feed-answer', id, result: result ?? null });
      } catch (error) {
        child.send({ type: 'feed-answer', id, error: String(error?.message ?? error) });
      }
    } else if (message.type === 'warning') {
      onWarning(message.roomId, message.message);
    }
  });
  const call = (command, payload = {}) => {
    if (exited) return Promise.reject(new Error('composite recorder exited'));
    const id = next++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.send({ type: 'command', id, command, ...payload });
    });
  };
  await call('ping');
  return {
    pid: child.pid,
    /** Starts one composite per room; resolves with each one's start time (epoch ms, its clock's start). */
    start: (rooms, options) => call('start', { rooms, options }),
    /** Per room: frames, framesSkipped, framesDropped, seconds written, encoderPid, videos; the event loop's delay. */
    stats: (resetDelay = false) => call('stats', { resetDelay }),
    /** Finishes every composite: per room, the finished part. */
    finish: () => call('finish'),
    async stop() {
      if (exited) return exited;
      child.kill('SIGTERM');
      return exit;
    },
  };
}

async function runChild() {
  const { RoomComposite } = createRequire(import.meta.url)(
    join(root, 'apps/recording/dist/compositor/index.js'),
  );
  const composites = new Map();
  const startedAt = new Map();
  const pendingFeed = new Map();
  let nextFeed = 0;
  const delay = monitorEventLoopDelay({ resolution: DELAY_RESOLUTION_MS });
  delay.enable();

  /** The composite's MediaFeed port: every call goes to the parent's feed for the room. */
  const feedFor = (roomId) => {
    const ask = (method, args) => {
      const id = nextFeed++;
      return new Promise((resolve, reject) => {
        pendingFeed.set(id, { resolve, reject });
        process.send({ type: 'feed', id, roomId, method, args });
      });
    };
    return {
      consume: (producerId, target, tileHeight) => ask('consume', [producerId, target, tileHeight]),
      requestKeyFrame: (consumerId) => ask('requestKeyFrame', [consumerId]).then(() => undefined),
      release: (consumerId) => ask('release', [consumerId]).then(() => undefined),
    };
  };

  const commands = {
    ping: async () => ({ pid: process.pid }),
    start: async ({ rooms, options }) => {
      const started = await Promise.all(
        rooms.map(async ({ roomId, roster, partDir, workDir }) => {
          const composite = await RoomComposite.start(feedFor(roomId), roster, partDir, {
            ...options,
            workDir,
          });
          const at = Date.now();
          composite.on('warning', (message) => process.send({ type: 'warning', roomId, message }));
          composite.on('error', (error) =>
            process.send({ type: 'warning', roomId, message: `error: ${error.message}` }),
          );
          composites.set(roomId, composite);
          startedAt.set(roomId, at);
          return { roomId, startedAt: at, encoderPid: composite.currentPart.pid };
        }),
      );
      return started;
    },
    stats: async ({ resetDelay }) => {
      const rooms = [...composites].map(([roomId, c]) => {
        const { frames, framesSkipped, framesDropped, videoDecoders, audioDecoders, videos } = c.stats;
        const part = c.currentPart;
        return {
          roomId,
          frames,
          framesSkipped,
          framesDropped,
          videoDecoders,
          audioDecoders,
          videos,
          seconds: part.seconds,
          encoderPid: part.pid,
          partDir: part.dir,
          startedAt: startedAt.get(roomId),
        };
      });
      // The histogram holds the sampling timer's whole interval: what exceeds it is the delay.
      const beyond = (ns) => Math.max(0, ns / 1e6 - DELAY_RESOLUTION_MS);
      const eventLoopDelayMs = {
        p50: beyond(delay.percentile(50)),
        p99: beyond(delay.percentile(99)),
        max: beyond(delay.max),
      };
      if (resetDelay) delay.reset();
      return { at: Date.now(), rooms, eventLoopDelayMs, rssBytes: process.memoryUsage().rss };
    },
    finish: async () => {
      const parts = await Promise.all(
        [...composites].map(async ([roomId, c]) => {
          const finishing = performance.now();
          const part = await c.finish();
          return {
            roomId,
            finishedAt: Date.now(),
            finishMs: performance.now() - finishing,
            part: {
              ...part,
              startedAt: part.startedAt?.toISOString?.(),
              endedAt: part.endedAt?.toISOString?.(),
            },
          };
        }),
      );
      composites.clear();
      return parts;
    },
  };

  process.on('message', async (message) => {
    if (message.type === 'feed-answer') {
      const p = pendingFeed.get(message.id);
      pendingFeed.delete(message.id);
      if (message.error) p?.reject(new Error(message.error));
      else p?.resolve(message.result);
      return;
    }
    if (message.type !== 'command') return;
    try {
      const result = await commands[message.command](message);
      process.send({ type: 'answer', id: message.id, result });
    } catch (error) {
      process.send({ type: 'answer', id: message.id, error: String(error?.stack ?? error) });
    }
  });
  const shutdown = async () => {
    // Encoders close their playlists; decoders stop (RoomComposite.finish).
    await Promise.allSettled([...composites.values()].map((c) => c.finish()));
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('disconnect', shutdown);
}

if (process.argv[2] === '--child') runChild();
