/** What a verified join grant (signed by the platform key for the rooms service) lets a peer do here. */
export interface JoinGrant {
  org: string;
  room: string;
  session: string;
  conferenceNumber: string;
  peer: string;
  connection: string;
  role: string;
  perms: GrantPermissions;
  mediaServer: string;
  /** Seconds since the epoch. */
  expiresAt: number;
  /** The room's limit on peers sending media at once (Gcore's maxBroadcasters), when the rooms service sets one. */
  maxBroadcasters?: number;
  /** The name the rooms service admitted the peer under, when it passes one. */
  displayName?: string;
  /** An interpreter's language channel (Gcore's intLang, e.g. `de`). */
  intLang?: string;
}

export interface GrantPermissions {
  publishAudio: boolean;
  publishVideo: boolean;
  shareScreen: boolean;
  subscribe: boolean;
  [other: string]: boolean;
}

/** Port: turns a grant token into a JoinGrant, or throws MediaErrors.invalidGrant / wrongMediaServer. */
export abstract class JoinGrantVerifier {
  abstract verify(token: string): Promise<JoinGrant>;
}
