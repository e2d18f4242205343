import type { Provider } from '@nestjs/common';
import type { RecordingConfig } from '../config/recording.config';
import { LocalRecordingStorage } from './local-recording-storage';
import { RecordingStorage } from './recording-storage.port';

/** The configured store: a local directory by default. */
export function storageProvider(config: RecordingConfig): Provider {
  return {
    provide: RecordingStorage,
    useFactory: () => new LocalRecordingStorage(config.RECORDING_STORAGE_DIR),
  };
}
