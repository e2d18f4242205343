import type { VerifiedParticipant } from '@confer/contracts';
import type { JoinContext } from '../joins/join-hooks';
import { permissionsOf } from '../joins/roles';
import { WaitingRoomJoinHook } from './waiting-room.join-hook';

// passesDirectly reads only the join's context: the hook's collaborators stay unused.
const hook = new WaitingRoomJoinHook(undefined as never, undefined as never);

function context(overrides: Partial<JoinContext> = {}): JoinContext {
  const role = overrides.role ?? 'participant';
  const attributes = overrides.attributes ?? {};
  return {
    orgId: 'org_1',
    roomId: 'consult-1',
    peerId: 'ana',
    face: 'call',
    role,
    permissions: permissionsOf(role, attributes),
    attributes,
    request: {},
    session: null,
    waitingRoom: null,
    ...overrides,
  } as JoinContext;
}

describe('WaitingRoomJoinHook.passesDirectly', () => {
  it('lets through joiners who do not wait', () => {
    expect(hook.passesDirectly(context())).toBe(true);
    // A moderator's "off" for the live room wins over the room's prepared settings.
    expect(hook.passesDirectly(context({ attributes: { waitingRoom: true }, waitingRoom: false }))).toBe(
      true,
    );
    expect(hook.passesDirectly(context({ role: 'moderator', attributes: { waitingRoom: true } }))).toBe(true);
  });

  it('keeps joiners who wait for the transaction, where their waiting entry is made', () => {
    expect(hook.passesDirectly(context({ attributes: { waitingRoom: true } }))).toBe(false);
    expect(hook.passesDirectly(context({ waitingRoom: true }))).toBe(false);
  });

  it('keeps a moderator whose token sets the waiting room, which the live room takes on admission', () => {
    const participant = { attributes: { waitingRoom: false } } as unknown as VerifiedParticipant;
    expect(hook.passesDirectly(context({ role: 'moderator', participant }))).toBe(false);
    expect(hook.passesDirectly(context({ participant }))).toBe(true);
  });
});
