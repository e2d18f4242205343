import { consumerConfigOf, serverAtLeast } from './consumer-setup';

const base = {
  stream: 'S',
  durable: 'd',
  ackWaitMs: 30_000,
  maxAckPending: 1000,
  deliverPolicy: 'all' as const,
};

describe('consumer setup', () => {
  it('uses filter_subject for one subject and filter_subjects for several', () => {
    const one = consumerConfigOf({ ...base, filterSubjects: ['confer.evt.>'] });
    expect(one).toMatchObject({
      filter_subject: 'confer.evt.>',
      ack_policy: 'explicit',
      max_deliver: -1,
      ack_wait: 30_000_000_000,
    });
    expect(one.filter_subjects).toBeUndefined();
    const many = consumerConfigOf({ ...base, filterSubjects: ['a.>', 'b.>'] });
    expect(many.filter_subjects).toEqual(['a.>', 'b.>']);
    expect(many.filter_subject).toBeUndefined();
  });

  it('compares server versions', () => {
    expect(serverAtLeast('2.10.0', [2, 10, 0])).toBe(true);
    expect(serverAtLeast('2.11.3', [2, 10, 0])).toBe(true);
    expect(serverAtLeast('2.9.10', [2, 10, 0])).toBe(false);
    expect(serverAtLeast('2.10.0-beta.1', [2, 10, 0])).toBe(true);
    expect(serverAtLeast(undefined, [2, 10, 0])).toBe(false);
  });
});
