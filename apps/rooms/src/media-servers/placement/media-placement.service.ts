import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { MediaNodeLoad } from '@confer/contracts';
import { AnnouncementHandle, Announcements } from '@confer/bus';
import { MediaServers } from '../media-servers';
import { MediaNodeRegistry } from './media-node-registry';
import { chooseNodeForRoom } from './placement-policy';

export interface MediaPlacement {
  /** The media node (or, with none reporting, the configured server) a room lives on. */
  id: string;
  url: string;
  serverGroup: string;
}

/**
 * Where a new room's media goes. Media nodes announce their load every few seconds; this
 * replica keeps what it hears and places each new room on the least-loaded live node of the
 * server group its id names. A deployment whose media servers do not announce (one machine,
 * `npm start`) keeps the configured list: the room's group server itself.
 */
@Injectable()
export class MediaPlacementService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #logger = new Logger(MediaPlacementService.name);
  #listening: AnnouncementHandle | undefined;

  constructor(
    private readonly announcements: Announcements,
    private readonly servers: MediaServers,
    readonly registry: MediaNodeRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.#listening = this.announcements.listen(MediaNodeLoad, (report) => {
      const known = this.registry.isLive(report.nodeId);
      this.registry.record(report);
      if (!known)
        this.#logger.log({
          msg: 'media node joined placement',
          nodeId: report.nodeId,
          group: report.serverGroup,
        });
    });
  }

  onApplicationShutdown(): void {
    this.#listening?.stop();
  }

  placeNewRoom(roomId: string): MediaPlacement {
    const group = this.servers.forRoom(roomId);
    const choice = chooseNodeForRoom(this.registry.live(), group.id);
    if (!choice) return { id: group.id, url: group.url, serverGroup: group.id };
    this.registry.notePlaced(choice.node.nodeId);
    if (!choice.inRequestedGroup)
      this.#logger.warn({
        msg: 'no live media node in the room’s group; placed elsewhere',
        roomId,
        group: group.id,
      });
    return { id: choice.node.nodeId, url: choice.node.url, serverGroup: choice.node.serverGroup };
  }

  /**
   * Whether a room placed earlier is still there to join: its node still reports. A
   * draining node keeps its rooms (only new rooms go elsewhere), so draining is usable.
   */
  isUsable(placementId: string): boolean {
    return this.servers.all.some((s) => s.id === placementId) || this.registry.isLive(placementId);
  }
}
