import type { Provider } from '@nestjs/common';
import { S3Client } from '@aws-sdk/client-s3';
import type { RecordingConfig } from '../config/recording.config';
import { LocalRecordingStorage } from './local-recording-storage';
import { RecordingStorage } from './recording-storage.port';
import { S3RecordingStorage } from './s3-recording-storage';

/** The configured store: a local directory by default, an S3-compatible object store with `s3`. */
export function storageProvider(config: RecordingConfig): Provider {
  return {
    provide: RecordingStorage,
    useFactory: () =>
      config.RECORDING_STORAGE === 's3'
        ? new S3RecordingStorage(s3ClientOf(config), { bucket: config.RECORDING_S3_BUCKET! })
        : new LocalRecordingStorage(config.RECORDING_STORAGE_DIR),
  };
}

export function s3ClientOf(config: RecordingConfig): S3Client {
  const { RECORDING_S3_ACCESS_KEY_ID: accessKeyId, RECORDING_S3_SECRET_ACCESS_KEY: secretAccessKey } = config;
  return new S3Client({
    endpoint: config.RECORDING_S3_ENDPOINT,
    region: config.RECORDING_S3_REGION,
    forcePathStyle: config.RECORDING_S3_FORCE_PATH_STYLE,
    // Without keys, the SDK's usual chain (environment, profile, instance role) provides them.
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    // Checksums only where S3 requires them: many S3-compatible stores reject the newer
    // checksum trailers the SDK would otherwise add to every upload.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
}
