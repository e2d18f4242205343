import { CommandContract, VerifyParticipantToken } from '@confer/contracts';
import { signHs256 } from './integrator-tokens.fake';
import { ParticipantTokenMessageController } from './participant-token.message.controller';
import { createVerifierFixture, SECRETS } from './verifier-fixture.fake';

/** Records what a message controller registers, and lets the spec call it like NATS would. */
class RecordingCommandServer {
  readonly handlers = new Map<string, (request: never, ctx: { subject: string }) => Promise<unknown>>();

  handle(contract: CommandContract, handler: (request: never, ctx: { subject: string }) => Promise<unknown>) {
    this.handlers.set(contract.subject, handler);
    return { subject: contract.subject, stop: async () => undefined };
  }

  call(contract: CommandContract, request: unknown): Promise<unknown> {
    const handler = this.handlers.get(contract.subject);
    if (!handler) throw new Error(`nothing serves ${contract.subject}`);
    return handler(request as never, { subject: contract.subject });
  }
}

// RegisterAliasCredential is exercised end to end (real NATS and PostgreSQL) in
// test/integration/participant-tokens: its handler only hands over to the store.
describe('participant-token message controller', () => {
  it('serves VerifyParticipantToken with the verifier once the application has started', async () => {
    const { verifier } = createVerifierFixture();
    const server = new RecordingCommandServer();
    const controller = new ParticipantTokenMessageController(server, verifier);
    expect(server.handlers.size).toBe(0);
    controller.onApplicationBootstrap();
    expect([...server.handlers.keys()]).toEqual(['confer.cmd.auth.participant-token.verify']);
    const token = await signHs256({ peerId: 'p1', roomId: 'r1' }, SECRETS.ak_a1, { kid: 'ak_a1' });
    expect(await server.call(VerifyParticipantToken, { token, roomId: 'r1' })).toMatchObject({
      valid: true,
      participant: { form: 'gcore' },
    });
  });
});
