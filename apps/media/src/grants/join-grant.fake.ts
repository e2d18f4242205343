import { MediaErrors } from '../media.errors';
import { JoinGrant, JoinGrantVerifier } from './join-grant';

/** Accepts the tokens it was given, as the grants they stand for; refuses any other. */
export class FakeJoinGrantVerifier extends JoinGrantVerifier {
  readonly #grants = new Map<string, JoinGrant>();

  accept(token: string, grant: Partial<JoinGrant> = {}): void {
    this.#grants.set(token, {
      org: 'org_1',
      room: 'room-1',
      session: 'sess_1',
      conferenceNumber: '12345678',
      peer: 'ana',
      connection: 'c_1',
      role: 'participant',
      perms: { publishAudio: true, publishVideo: true, shareScreen: true, subscribe: true },
      mediaServer: 'serv0',
      expiresAt: Math.floor(Date.now() / 1000) + 60,
      ...grant,
    });
  }

  async verify(token: string): Promise<JoinGrant> {
    const grant = this.#grants.get(token);
    if (!grant) throw MediaErrors.invalidGrant();
    return grant;
  }
}
