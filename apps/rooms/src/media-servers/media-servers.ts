import { Inject, Injectable } from '@nestjs/common';
import { Type } from '@sinclair/typebox';
import { parseWith } from '@confer/contracts';
import { ROOMS_CONFIG, RoomsConfig } from '../config/rooms.config';

const MediaServerListSchema = Type.Array(
  Type.Object({
    id: Type.String({ pattern: '^serv[0-9]+$' }),
    region: Type.String(),
    url: Type.String({ minLength: 1 }),
  }),
  { minItems: 1 },
);

export interface MediaServer {
  id: string;
  region: string;
  url: string;
  default: boolean;
}

/**
 * The configured media servers. A room id starting with a server's id (`serv1…`)
 * lives on that server; any other room on the first, the default.
 */
@Injectable()
export class MediaServers {
  readonly all: readonly MediaServer[];
  readonly #byLongestId: readonly MediaServer[];

  constructor(@Inject(ROOMS_CONFIG) config: RoomsConfig) {
    let raw: unknown;
    try {
      raw = JSON.parse(config.MEDIA_SERVERS);
    } catch {
      throw new Error('MEDIA_SERVERS is not valid JSON');
    }
    const servers = parseWith(MediaServerListSchema, raw, 'MEDIA_SERVERS');
    this.all = servers.map((s, i) => ({ ...s, default: i === 0 }));
    // serv12 must win over serv1 for "serv12room".
    this.#byLongestId = [...this.all].sort((a, b) => b.id.length - a.id.length);
  }

  forRoom(roomId: string): MediaServer {
    return this.#byLongestId.find((s) => roomId.startsWith(s.id)) ?? this.all[0];
  }
}
