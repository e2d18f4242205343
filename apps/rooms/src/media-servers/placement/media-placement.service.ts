import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MediaNodeLoad } from '@confer/contracts';
import { AnnouncementHandle, Announcements } from '@confer/bus';
import { MediaServers } from '../media-servers';
import { MediaNodeRegistry } from './media-node-registry';
import { ROOMS_CONFIG, RoomsConfig } from '../../config/rooms.config';
import { chooseNodeForRoom, chooseNodeForSpan } from './placement-policy';

export interface MediaPlacement {
  /** The media node (or, with none reporting, the configured server) a room lives on. */
  id: string;
  url: string;
  serverGroup: string;
}

/** Rooms whose spill node is remembered; the oldest is forgotten beyond it. */
const SPILLS_REMEMBERED = 10_000;

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
  /** Where each room's newcomers went last when its node was full (this replica's memory, newest last). */
  readonly #spills = new Map<string, string>();

  constructor(
    private readonly announcements: Announcements,
    private readonly servers: MediaServers,
    readonly registry: MediaNodeRegistry,
    private readonly dataSource: DataSource,
    @Inject(ROOMS_CONFIG) private readonly config: Pick<RoomsConfig, 'MEDIA_SPAN_AT_LOAD'>,
  ) {}

  onApplicationBootstrap(): void {
    this.#listening = this.announcements.listen(MediaNodeLoad, (report) => {
      const known = this.registry.isLive(report.nodeId);
      // Its last word as it stops: out of placement now, not after its reports' silence.
      if (report.stopping === true) {
        this.registry.forget(report.nodeId);
        if (known) this.#logger.log({ msg: 'media node left placement', nodeId: report.nodeId });
        return;
      }
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

  /** Where a room placed on `placementId` is reached: a configured server, or a live node. */
  serverOf(placementId: string, roomId: string): { id: string; url: string } {
    const configured = this.servers.all.find((s) => s.id === placementId);
    if (configured) return { id: configured.id, url: configured.url };
    const node = this.registry.get(placementId);
    if (node) return { id: node.report.nodeId, url: node.report.url };
    // Its node is gone and no other could take the room: the group's own address.
    const group = this.servers.forRoom(roomId);
    return { id: group.id, url: group.url };
  }

  /**
   * Where a peer joining a live room goes: the room's node, unless that node is loaded to
   * MEDIA_SPAN_AT_LOAD or draining; then the least-loaded other node of its group, and the
   * room spans both (the media nodes pipe each other's producers). A peer stays where it was placed for
   * its connection: its grant names the node.
   */
  serverForPeer(session: { id: string; mediaServer: string; roomId: string }): { id: string; url: string } {
    const home = this.serverOf(session.mediaServer, session.roomId);
    const node = this.registry.get(home.id);
    if (!node) return home;
    const live = this.registry.live();
    // The node this room spilled to before, while it still takes peers: each more node a room
    // spans costs its producers' nodes one more pipe per producer.
    const earlier = this.#spills.get(session.id);
    const candidates = earlier ? live.filter((n) => n.report.nodeId === earlier) : [];
    const spill =
      chooseNodeForSpan(candidates, node, this.config.MEDIA_SPAN_AT_LOAD) ??
      chooseNodeForSpan(live, node, this.config.MEDIA_SPAN_AT_LOAD);
    if (!spill) return home;
    this.#spills.delete(session.id);
    this.#spills.set(session.id, spill.nodeId);
    if (this.#spills.size > SPILLS_REMEMBERED) this.#spills.delete(this.#spills.keys().next().value!);
    return { id: spill.nodeId, url: spill.url };
  }

  /**
   * Moves a live room whose media node stopped reporting to a live one, so that the peers
   * reconnecting from the dead node land together. Replicas racing to move the same room
   * agree: only the first move is kept (compare-and-set), the others read it.
   */
  async ensureReachable(session: { id: string; roomId: string; mediaServer: string }): Promise<void> {
    if (this.isUsable(session.mediaServer)) return;
    const next = this.placeNewRoom(session.roomId);
    const rows = (await this.dataSource.query(
      `WITH moved AS (
         UPDATE room_sessions SET media_server = $2 WHERE id = $1 AND media_server = $3 RETURNING media_server
       )
       SELECT media_server FROM moved
       UNION ALL
       SELECT media_server FROM room_sessions WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM moved)`,
      [session.id, next.id, session.mediaServer],
    )) as { media_server: string }[];
    const from = session.mediaServer;
    if (rows[0]) session.mediaServer = rows[0].media_server;
    this.#logger.warn({
      msg: 'room moved off a media node that stopped reporting',
      roomId: session.roomId,
      from,
      to: session.mediaServer,
    });
  }

  /**
   * Whether a room placed earlier is still there to join: its node still reports. A
   * draining node keeps its rooms (only new rooms go elsewhere), so draining is usable.
   */
  isUsable(placementId: string): boolean {
    return this.servers.all.some((s) => s.id === placementId) || this.registry.isLive(placementId);
  }
}
