import { RecorderRoster } from '@confer/contracts';
import { drawnRoom } from './roster-view';

const roster: RecorderRoster = {
  sessionId: 's',
  seq: 1,
  open: true,
  peers: [
    {
      peerId: 'a',
      displayName: 'Ada',
      role: 'moderator',
      producers: [
        { producerId: 'a-cam', kind: 'video', source: 'camera', paused: false },
        { producerId: 'a-mic', kind: 'audio', source: 'microphone', paused: false },
        { producerId: 'a-scr', kind: 'video', source: 'screen', paused: false },
        { producerId: 'a-scra', kind: 'audio', source: 'screenAudio', paused: false },
      ],
    },
    {
      peerId: 'b',
      role: 'participant',
      producers: [
        { producerId: 'b-cam', kind: 'video', source: 'camera', paused: true },
        { producerId: 'b-mic', kind: 'audio', source: 'microphone', paused: true },
      ],
    },
    {
      peerId: 'v',
      displayName: 'Viewer',
      role: 'viewer',
      producers: [{ producerId: 'v-mic', kind: 'audio', source: 'microphone', paused: false }],
    },
  ],
};

describe('drawnRoom', () => {
  it('draws speakers with their live cameras and shares, mixes their live audio, and leaves viewers out', () => {
    expect(drawnRoom(roster)).toEqual({
      peers: [
        { peerId: 'a', name: 'Ada', cameraProducerId: 'a-cam' },
        { peerId: 'b', name: 'b', cameraProducerId: undefined },
      ],
      shares: [{ peerId: 'a', name: 'Ada', producerId: 'a-scr' }],
      audioProducerIds: ['a-mic', 'a-scra'],
    });
  });
});
