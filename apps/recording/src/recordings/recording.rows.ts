/** A recording as stored (snake_case: straight from SQL). */
export interface RecordingRow {
  id: string;
  org_id: string;
  room_id: string;
  status: RecordingStatus;
  trigger: 'moderator' | 'api' | 'auto';
  started_by: string | null;
  started_at: Date;
  stop_requested_at: Date | null;
  stop_reason: string | null;
  stopped_by: string | null;
  stopped_at: Date | null;
  ready_at: Date | null;
  progress: number;
  failure_reason: string | null;
  owner: string | null;
  lease_until: Date | null;
  expires_at: Date | null;
  deleted_at: Date | null;
  delete_reason: string | null;
}

export type RecordingStatus = 'recording' | 'processing' | 'ready' | 'failed';
export const RECORDING_STATUSES: readonly RecordingStatus[] = ['recording', 'processing', 'ready', 'failed'];

/** One part: at most maxPartSeconds of the recording, a video of its own. */
export interface PartRow {
  id: string;
  recording_id: string;
  part_number: number;
  /** Gcore's numeric video id. */
  video_id: string;
  status: RecordingStatus;
  started_at: Date;
  ended_at: Date | null;
  duration_seconds: number | null;
  interrupted: boolean;
  work_dir: string;
  /** The unguessable id in the part's file addresses. */
  file_id: string;
  bytes: string | null;
}
