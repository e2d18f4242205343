import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { CommandServer } from '@confer/bus';
import {
  CloseRecorderSession,
  OpenRecorderSession,
  RecorderConsume,
  RecorderRelease,
  RecorderRequestKeyFrame,
  RenewRecorderSession,
} from '@confer/contracts';
import { RecorderSessions } from './recorder-sessions';

/**
 * NATS entry point of the recorder commands (`confer.cmd.media.recorder.*`). Every media
 * process subscribes (not one of a queue group): only the one carrying the room, or
 * holding the session, answers; the others throw NotHeldHere and stay silent.
 */
@Injectable()
export class RecorderCommandsMessageController implements OnApplicationBootstrap {
  constructor(
    @Inject(CommandServer) private readonly commandServer: Pick<CommandServer, 'handle'>,
    @Inject(RecorderSessions) private readonly sessions: RecorderSessions,
  ) {}

  onApplicationBootstrap(): void {
    // The recorder contracts are answered by their holder: every process hears them.
    const { commandServer: server, sessions } = this;
    server.handle(OpenRecorderSession, async (request) => sessions.open(request));
    server.handle(RecorderConsume, (request) => sessions.held(request.sessionId).consume(request));
    server.handle(RecorderRequestKeyFrame, async ({ sessionId, consumerId }) => {
      await sessions.held(sessionId).requestKeyFrame(consumerId);
      return {};
    });
    server.handle(RecorderRelease, async ({ sessionId, consumerId }) => {
      sessions.held(sessionId).release(consumerId);
      return {};
    });
    server.handle(RenewRecorderSession, async ({ sessionId }) => {
      sessions.held(sessionId).renew();
      return {};
    });
    server.handle(CloseRecorderSession, async ({ sessionId }) => {
      sessions.held(sessionId).close('closed');
      return {};
    });
  }
}
