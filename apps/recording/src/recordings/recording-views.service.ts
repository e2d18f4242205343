import { Injectable } from '@nestjs/common';
import { FileAddresses } from '../files/file-addresses';
import { OrgRecordingSettingsStore } from '../settings/org-recording-settings';
import { PartRow, RecordingRow } from './recording.rows';
import { RecordingPartView, RecordingView } from './recording.views';
import { RecordingsStore } from './recordings.store';

/** The name a part's video goes by; Gcore's search finds it by the room id in it. */
export function partName(
  recording: Pick<RecordingRow, 'room_id' | 'started_at'>,
  partNumber: number,
): string {
  return `Recording ${recording.room_id} ${recording.started_at.toISOString()} part ${partNumber}`;
}

/** Recordings as the API shows them, with their parts and their files' addresses. */
@Injectable()
export class RecordingViews {
  constructor(
    private readonly store: RecordingsStore,
    private readonly settings: OrgRecordingSettingsStore,
    readonly addresses: FileAddresses,
  ) {}

  async many(orgId: string, recordings: RecordingRow[]): Promise<RecordingView[]> {
    const { signedUrls } = await this.settings.get(orgId);
    const parts = await this.store.parts(
      this.store.dataSourceManager(),
      recordings.map((r) => r.id),
    );
    return recordings.map((r) =>
      this.view(
        r,
        parts.filter((p) => p.recording_id === r.id),
        signedUrls,
      ),
    );
  }

  async one(orgId: string, recording: RecordingRow): Promise<RecordingView> {
    const [view] = await this.many(orgId, [recording]);
    return view;
  }

  view(r: RecordingRow, parts: PartRow[], signed: boolean): RecordingView {
    const kept = parts.filter((p) => p.status === 'ready');
    return {
      id: r.id,
      roomId: r.room_id,
      status: r.status,
      progress: r.progress,
      trigger: r.trigger,
      startedBy: r.started_by,
      startedAt: r.started_at.toISOString(),
      stoppedAt: r.stopped_at?.toISOString() ?? null,
      stopReason: r.stop_reason,
      readyAt: r.ready_at?.toISOString() ?? null,
      failureReason: r.failure_reason,
      durationSeconds: round(kept.reduce((sum, p) => sum + (p.duration_seconds ?? 0), 0)),
      expiresAt: r.expires_at?.toISOString() ?? null,
      deletedAt: r.deleted_at?.toISOString() ?? null,
      deleteReason: r.delete_reason,
      parts: parts.map((p) => this.partView(r, p, signed)),
    };
  }

  partView(r: RecordingRow, p: PartRow, signed: boolean): RecordingPartView {
    const servable = p.status === 'ready' && !r.deleted_at;
    return {
      id: p.id,
      partNumber: p.part_number,
      videoId: Number(p.video_id),
      name: partName(r, p.part_number),
      status: p.status,
      startedAt: p.started_at.toISOString(),
      endedAt: p.ended_at?.toISOString() ?? null,
      durationSeconds: p.duration_seconds === null ? null : round(p.duration_seconds),
      interrupted: p.interrupted,
      bytes: p.bytes === null ? null : Number(p.bytes),
      hlsUrl: servable ? this.addresses.url(p.file_id, 'index.m3u8', signed) : null,
      mp4Url: servable ? this.addresses.url(p.file_id, 'video.mp4', signed) : null,
    };
  }
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;
