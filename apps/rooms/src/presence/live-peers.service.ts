import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { RoomErrors } from '../rooms.errors';
import { PeerConnectionEntity } from './peer-connection.entity';

export interface LivePeerView {
  peerId: string;
  displayName: string | null;
  role: string;
  face: string;
  joinedAt: string;
}

@Injectable()
export class LivePeers {
  constructor(private readonly dataSource: DataSource) {}

  async list(orgId: string, roomId: string): Promise<LivePeerView[]> {
    const rows = await this.dataSource.getRepository(PeerConnectionEntity).find({
      where: { orgId, roomId, leftAt: IsNull() },
      order: { joinedAt: 'ASC' },
      take: 5000,
    });
    return rows.map((r) => ({
      peerId: r.peerId,
      displayName: r.displayName,
      role: r.role,
      face: r.face,
      joinedAt: r.joinedAt.toISOString(),
    }));
  }

  /** A live connection, found by the secret id its holder knows. */
  async connection(roomId: string, peerId: string, connectionId: string): Promise<PeerConnectionEntity> {
    const connection = await this.dataSource
      .getRepository(PeerConnectionEntity)
      .findOneBy({ connectionId, roomId, peerId, leftAt: IsNull() });
    if (!connection) throw RoomErrors.peerNotFound({ roomId, peerId });
    return connection;
  }
}
