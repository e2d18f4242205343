import { decodeCursor, encodeCursor } from './recordings.store';
import type { RecordingRow } from './recording.rows';

describe('recording page cursors', () => {
  it('carry the last recording of a page and come back as they went', () => {
    const row = {
      started_at: new Date('2026-11-24T10:00:00.123Z'),
      id: '6f1c2a9e-9d7b-4c1a-8e55-0a6d8c1f2b3c',
    };
    const cursor = encodeCursor(row as RecordingRow);
    expect(decodeCursor(cursor)).toEqual({ startedAt: row.started_at, id: row.id });
  });

  it('are refused when they are not ours', () => {
    expect(decodeCursor('not-a-cursor')).toBeNull();
    expect(decodeCursor(Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url'))).toBeNull();
    expect(
      decodeCursor(Buffer.from(JSON.stringify(['2026-11-24T10:00:00Z', "1' OR 1=1"])).toString('base64url')),
    ).toBeNull();
  });
});
