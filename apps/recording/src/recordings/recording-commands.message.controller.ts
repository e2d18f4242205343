import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CommandServer } from '@confer/bus';
import { StartRoomRecording, StopRoomRecording } from '@confer/contracts';
import { RecordingControl } from './recording-control.service';

/**
 * NATS entry of a moderator's Record and Stop in the web client: the media service has
 * checked the peer's role and canRecord; refusals travel back as already_recording,
 * room_not_live, not_recording.
 */
@Injectable()
export class RecordingCommandsMessageController implements OnApplicationBootstrap {
  constructor(
    private readonly commandServer: CommandServer,
    private readonly control: RecordingControl,
  ) {}

  onApplicationBootstrap(): void {
    this.commandServer.handle(StartRoomRecording, async ({ orgId, roomId, peerId }) => {
      const recording = await this.control.start(orgId, roomId, 'moderator', peerId);
      return { recordingId: recording.id };
    });
    this.commandServer.handle(StopRoomRecording, async ({ orgId, roomId, peerId }) => {
      const recording = await this.control.stopRoom(orgId, roomId, 'requested', peerId);
      return { recordingId: recording.id };
    });
  }
}
