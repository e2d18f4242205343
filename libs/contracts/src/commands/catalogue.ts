import { CommandContract } from './define-command';
import { RegisterAliasCredential, VerifyParticipantToken } from './auth.commands';
import { SignPlatformToken } from './signing.commands';
import {
  CloseRecorderSession,
  OpenRecorderSession,
  RecorderConsume,
  RecorderRelease,
  RecorderRequestKeyFrame,
  RenewRecorderSession,
} from './recorder.commands';
import { StartRoomRecording, StopRoomRecording } from './recording.commands';
import { PipeSpanProducer } from './room-span.commands';

/** Every request/reply command; documented in the AsyncAPI file. */
export const commandCatalogue: readonly CommandContract[] = [
  VerifyParticipantToken,
  RegisterAliasCredential,
  SignPlatformToken,
  OpenRecorderSession,
  RecorderConsume,
  RecorderRequestKeyFrame,
  RecorderRelease,
  RenewRecorderSession,
  CloseRecorderSession,
  StartRoomRecording,
  StopRoomRecording,
  PipeSpanProducer,
];
