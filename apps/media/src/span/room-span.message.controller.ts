import { Inject, Injectable, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { CommandServer } from '@confer/bus';
import { PipeSpanProducer } from '@confer/contracts';
import { RoomSpans } from './room-spans';

/**
 * NATS entry point of `confer.cmd.media.span.pipe`. Every media node hears it (answered by
 * its holder); the node it names answers, the others stay silent.
 */
@Injectable()
export class RoomSpanMessageController implements OnApplicationBootstrap {
  constructor(
    @Inject(CommandServer) private readonly commandServer: Pick<CommandServer, 'handle'>,
    @Optional() @Inject(RoomSpans) private readonly spans: RoomSpans | null,
  ) {}

  onApplicationBootstrap(): void {
    const spans = this.spans;
    if (spans) this.commandServer.handle(PipeSpanProducer, (request) => spans.pipeOut(request));
  }
}
