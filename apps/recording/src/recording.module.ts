import { DynamicModule, Global, Module } from '@nestjs/common';
import { BusModule } from '@confer/bus';
import { DatabaseModule } from '@confer/database';
import { HttpLifecycleModule } from '@confer/http';
import { OutboxModule } from '@confer/outbox';
import { TelemetryModule } from '@confer/telemetry';
import { ServerApiAccessModule } from '@confer/auth-client';
import { RecordingActors, RecordingCredentialsGuard } from './actors/recording-actor';
import { AutoRecordingScheduler } from './auto/auto-recording.scheduler';
import { issuerOf, RECORDING_CONFIG, RecordingConfig } from './config/recording.config';
import { recordingDatabaseOptions } from './database/recording-database';
import { FileAddresses } from './files/file-addresses';
import { RecordingFilesHttpController } from './files/recording-files.http.controller';
import { GcoreVideosHttpController } from './gcore/gcore-videos.http.controller';
import { DeleteRecording } from './recordings/delete-recording.service';
import { RecordingCommandsMessageController } from './recordings/recording-commands.message.controller';
import { RecordingControl } from './recordings/recording-control.service';
import { RecordingViews } from './recordings/recording-views.service';
import { RecordingsHttpController } from './recordings/recordings.http.controller';
import { RecordingsStore } from './recordings/recordings.store';
import { RetentionSweeper } from './retention/retention-sweeper';
import { RoomLifeConsumer } from './rooms/room-life.consumer';
import { RoomLifeStore } from './rooms/room-life.store';
import { RecordingSupervisor } from './runner/recording-supervisor';
import { OrgRecordingSettingsStore } from './settings/org-recording-settings';
import { OrgRecordingSettingsHttpController } from './settings/org-recording-settings.http.controller';
import { storageProvider } from './storage/storage.provider';

const httpControllers = [
  RecordingsHttpController,
  RecordingFilesHttpController,
  GcoreVideosHttpController,
  OrgRecordingSettingsHttpController,
];
const messageHandlers = [RecordingCommandsMessageController, RoomLifeConsumer];
const useCases = [RecordingControl, DeleteRecording, RecordingViews, RecordingActors];
const domain = [
  RecordingsStore,
  RoomLifeStore,
  OrgRecordingSettingsStore,
  FileAddresses,
  RecordingCredentialsGuard,
];
const running = [RecordingSupervisor, AutoRecordingScheduler, RetentionSweeper];

/** Configuration, available to every module of the service. */
@Global()
@Module({})
class RecordingCoreModule {
  static forConfig(config: RecordingConfig): DynamicModule {
    return {
      module: RecordingCoreModule,
      providers: [{ provide: RECORDING_CONFIG, useValue: config }],
      exports: [RECORDING_CONFIG],
    };
  }
}

/** The recording service: room composites kept as MP4 and HLS parts, found and served. */
@Module({})
export class RecordingModule {
  static forConfig(config: RecordingConfig): DynamicModule {
    return {
      module: RecordingModule,
      imports: [
        RecordingCoreModule.forConfig(config),
        TelemetryModule,
        HttpLifecycleModule,
        DatabaseModule.forRoot(recordingDatabaseOptions(config.DATABASE_URL, config.RECORDING_DB_SCHEMA)),
        BusModule.forRoot({ service: 'recording', url: config.NATS_URL }),
        ServerApiAccessModule.forRoot({
          jwksUrl: config.AUTH_JWKS_URL,
          issuer: issuerOf(config),
          defaultRateLimit: config.DEFAULT_RATE_LIMIT_PER_SECOND,
        }),
        OutboxModule.forRoot(),
      ],
      controllers: httpControllers,
      providers: [...messageHandlers, ...useCases, ...domain, ...running, storageProvider(config)],
    };
  }
}
