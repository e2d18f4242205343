import { CommandCallError, CommandClient, CommandFailed } from '@confer/bus';
import { RecordingCommandErrors, StartRoomRecording, StopRoomRecording } from '@confer/contracts';
import { MediaErrors } from '../media.errors';
import type { Peer } from '../peers/peer';
import type { JoinedHandlers } from '../signaling/requests/joined-handlers';

/**
 * The recording service decides and starts a recorder, which may first have to find the
 * room on a media process: longer than a usual command, short enough that the peer's
 * other requests (answered in order) do not wait long behind it.
 */
const RECORDING_COMMAND_TIMEOUT_MS = 5000;

/** Recording needs the `record` permission: a moderator whose token carries canRecord. */
function refuseWithoutRecordPermission(peer: Peer): void {
  if (peer.permissions.record !== true)
    throw MediaErrors.notAllowedToRecord(
      { role: peer.role },
      { message: 'your role may not record this room (record is not granted: a moderator with canRecord)' },
    );
}

/** The recording service's refusals as the peer's signaling refusals; no answer at all is `recording_unavailable`. */
function refusalOf(error: unknown): unknown {
  if (!(error instanceof CommandCallError)) return error;
  if (error instanceof CommandFailed) {
    switch (error.code) {
      case RecordingCommandErrors.alreadyRecording:
        return MediaErrors.alreadyRecording(undefined, { cause: error });
      case RecordingCommandErrors.notRecording:
        return MediaErrors.notRecording(undefined, { cause: error });
      case RecordingCommandErrors.roomNotLive:
        return MediaErrors.roomNotLive(undefined, { cause: error });
    }
  }
  return MediaErrors.recordingUnavailable(undefined, { cause: error });
}

/** startRecording / stopRecording: checked here, then asked of the recording service. */
export function recordingRequests(
  commands: Pick<CommandClient, 'request'>,
): Pick<JoinedHandlers, 'startRecording' | 'stopRecording'> {
  const ask = async (contract: typeof StartRoomRecording | typeof StopRoomRecording, peer: Peer) => {
    refuseWithoutRecordPermission(peer);
    try {
      return await commands.request(
        contract,
        { orgId: peer.grant.org, roomId: peer.grant.room, peerId: peer.id },
        { timeoutMs: RECORDING_COMMAND_TIMEOUT_MS },
      );
    } catch (error) {
      throw refusalOf(error);
    }
  };
  return {
    startRecording: async ({ peer }) => ask(StartRoomRecording, peer),
    stopRecording: async ({ peer }) => ask(StopRoomRecording, peer),
  };
}
