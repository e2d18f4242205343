import { SpeakerRate } from './speaker-rate';

describe('SpeakerRate', () => {
  let start: number;
  let emitted: string[];
  let rate: SpeakerRate<{ peerId: string }>;

  beforeEach(() => {
    // Fake timers fake Date.now too, so the clock and the timers move together.
    jest.useFakeTimers();
    start = Date.now();
    emitted = [];
    rate = new SpeakerRate(1000, (s) => emitted.push(s.peerId));
  });
  afterEach(() => {
    rate.close();
    jest.useRealTimers();
  });

  const at = (ms: number) => jest.advanceTimersByTime(start + ms - Date.now());

  it('lets the first change through at once and ignores the same speaker again', () => {
    rate.offer({ peerId: 'ana' });
    at(2000);
    rate.offer({ peerId: 'ana' });
    expect(emitted).toEqual(['ana']);
  });

  it('holds changes inside the interval and sends only the latest at its end', () => {
    rate.offer({ peerId: 'ana' });
    at(100);
    rate.offer({ peerId: 'ben' });
    at(300);
    rate.offer({ peerId: 'cy' });
    at(999);
    expect(emitted).toEqual(['ana']);
    at(1000);
    expect(emitted).toEqual(['ana', 'cy']);
    at(5000);
    expect(emitted).toEqual(['ana', 'cy']);
  });

  it('drops a held change that returns to the current speaker', () => {
    rate.offer({ peerId: 'ana' });
    at(100);
    rate.offer({ peerId: 'ben' });
    at(200);
    rate.offer({ peerId: 'ana' });
    at(1500);
    expect(emitted).toEqual(['ana']);
  });
});
