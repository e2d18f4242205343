import { ConferenceOwners, OwnerCheck } from './conference-owners.port';

/** Answers per token what a spec set; anything else is not a participant token. */
export class FakeConferenceOwners implements ConferenceOwners {
  readonly answers = new Map<string, OwnerCheck>();

  async check(token: string): Promise<OwnerCheck> {
    return this.answers.get(token) ?? { kind: 'invalid' };
  }
}
