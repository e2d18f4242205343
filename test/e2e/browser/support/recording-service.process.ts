import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningAuthService } from '../../../support/auth-service.harness';
import { spawnBuiltService } from '../../../support/built-service.process';

export interface RecordingServiceProcess {
  baseUrl: string;
  schema: string;
  /** What the process wrote to stderr (its last 20,000 characters), for failure messages. */
  readonly stderr: string;
  /** SIGTERM, then the exit; its files go with it. */
  stop(): Promise<void>;
}

/**
 * The real recording service as production runs it, beside the browser room's auth service
 * and NATS: it learns which rooms are live from the rooms service's events on that bus,
 * receives the media service's start and stop commands there, and records with ffmpeg into
 * a temporary directory.
 */
export async function spawnRecordingService(auth: RunningAuthService): Promise<RecordingServiceProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'confer-browser-recording-'));
  try {
    const service = await spawnBuiltService('recording', {
      NATS_URL: auth.natsUrl,
      PUBLIC_URL: auth.env.PUBLIC_URL,
      AUTH_JWKS_URL: `${auth.baseUrl}/.well-known/jwks.json`,
      RECORDING_WORK_DIR: join(dir, 'work'),
      RECORDING_STORAGE_DIR: join(dir, 'files'),
      // A small composite: this test is about who sees that the room is recorded, not the picture.
      RECORDING_WIDTH: '320',
      RECORDING_HEIGHT: '180',
      RECORDING_FRAME_RATE: '10',
      RECORDING_X264_PRESET: 'ultrafast',
    });
    return {
      baseUrl: service.baseUrl,
      schema: service.schema,
      get stderr() {
        return service.stderr;
      },
      async stop() {
        await service.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
