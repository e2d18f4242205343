import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RECORDING_CONFIG, RecordingConfig } from '../config/recording.config';

/** An organisation's recording settings (the service's defaults until it sets its own). */
export interface OrgRecordingSettings {
  autoRecord: boolean;
  startDelaySeconds: number;
  stopDelaySeconds: number;
  maxPartSeconds: number;
  /** Files are deleted this many days after the recording started; null keeps them. */
  retentionDays: number | null;
  /** File addresses carry an expiring signature; unsigned ones are refused. */
  signedUrls: boolean;
}

interface SettingsRow {
  auto_record: boolean;
  start_delay_seconds: number;
  stop_delay_seconds: number;
  max_part_seconds: number;
  retention_days: number | null;
  signed_urls: boolean;
}

@Injectable()
export class OrgRecordingSettingsStore {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(RECORDING_CONFIG) private readonly config: RecordingConfig,
  ) {}

  defaults(): OrgRecordingSettings {
    return {
      autoRecord: false,
      startDelaySeconds: this.config.RECORDING_DEFAULT_START_DELAY_SECONDS,
      stopDelaySeconds: this.config.RECORDING_DEFAULT_STOP_DELAY_SECONDS,
      maxPartSeconds: this.config.RECORDING_DEFAULT_MAX_PART_SECONDS,
      retentionDays: null,
      signedUrls: false,
    };
  }

  async get(orgId: string): Promise<OrgRecordingSettings> {
    const [row] = (await this.dataSource.query(`SELECT * FROM org_settings WHERE org_id = $1`, [
      orgId,
    ])) as SettingsRow[];
    if (!row) return this.defaults();
    return {
      autoRecord: row.auto_record,
      startDelaySeconds: row.start_delay_seconds,
      stopDelaySeconds: row.stop_delay_seconds,
      maxPartSeconds: row.max_part_seconds,
      retentionDays: row.retention_days,
      signedUrls: row.signed_urls,
    };
  }

  /** Merges `change` into the current settings and stores the result. */
  async update(orgId: string, change: Partial<OrgRecordingSettings>): Promise<OrgRecordingSettings> {
    // A validated body has its omitted fields present as undefined: they keep their value.
    const given = Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined));
    const next = { ...(await this.get(orgId)), ...given } as OrgRecordingSettings;
    await this.dataSource.query(
      `INSERT INTO org_settings (org_id, auto_record, start_delay_seconds, stop_delay_seconds,
         max_part_seconds, retention_days, signed_urls, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (org_id) DO UPDATE SET auto_record = $2, start_delay_seconds = $3,
         stop_delay_seconds = $4, max_part_seconds = $5, retention_days = $6, signed_urls = $7,
         updated_at = now()`,
      [
        orgId,
        next.autoRecord,
        next.startDelaySeconds,
        next.stopDelaySeconds,
        next.maxPartSeconds,
        next.retentionDays,
        next.signedUrls,
      ],
    );
    return next;
  }
}
