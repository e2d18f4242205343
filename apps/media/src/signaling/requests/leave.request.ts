import type { JoinedHandlers } from './joined-handlers';

/** The peer leaves on purpose; the server closes the socket after answering. */
export const leaveRequest: Pick<JoinedHandlers, 'leave'> = {
  async leave({ peer }) {
    peer.close('left');
    return {};
  },
};
