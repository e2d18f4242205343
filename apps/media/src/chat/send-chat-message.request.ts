import { randomUUID } from 'crypto';
import { MediaErrors } from '../media.errors';
import type { JoinedHandlers } from '../signaling/requests/joined-handlers';

/**
 * Chat relayed through the room: the server stamps who wrote it and when (a client
 * cannot write as someone else), and honours the grant's `chat` permission, which the
 * rooms service sets false when the room or the token disables chat.
 */
export const chatRequests: Pick<JoinedHandlers, 'sendChatMessage'> = {
  async sendChatMessage({ peer, room }, { text, to }) {
    if (peer.permissions.chat === false) throw MediaErrors.notAllowedToChat({ peer: peer.id });
    if (text.trim().length === 0)
      throw MediaErrors.invalidMessage(undefined, { message: 'A chat message must not be blank' });
    const recipient = to === undefined ? undefined : room.peers.find((p) => p.id === to);
    if (to !== undefined && (!recipient || recipient === peer))
      throw MediaErrors.peerNotFound({ peerId: to });
    if (!peer.chatRate.take()) throw MediaErrors.rateLimited({ peer: peer.id });
    const message = {
      messageId: randomUUID(),
      peerId: peer.id,
      text,
      sentAt: new Date().toISOString(),
      ...(recipient ? { to: recipient.id } : {}),
    };
    if (recipient) recipient.notify('chatMessage', message);
    else room.broadcast('chatMessage', message, peer);
    return { messageId: message.messageId, sentAt: message.sentAt };
  },
};
