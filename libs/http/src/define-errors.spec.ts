import { AppError } from './app-error';
import { defineErrors, listErrors } from './define-errors';

const RoomErrors = defineErrors({
  ROOM_NOT_FOUND: { status: 404, message: 'Room not found' },
  ROOM_FULL: { status: 409, message: 'The room is full' },
  E2EE_REQUIRED: { status: 403, message: 'End-to-end encryption is required' },
});

describe('defineErrors', () => {
  it('builds camelCase factories whose errors carry the lower-case code', () => {
    const error = RoomErrors.roomNotFound({ roomId: 'r1' });
    expect(error).toBeInstanceOf(AppError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('room_not_found');
    expect(error.status).toBe(404);
    expect(error.message).toBe('Room not found');
    expect(error.details).toEqual({ roomId: 'r1' });
    expect(RoomErrors.e2eeRequired().code).toBe('e2ee_required');
  });

  it('exposes the code and status on each factory and recognises its errors', () => {
    expect(RoomErrors.roomFull.code).toBe('room_full');
    expect(RoomErrors.roomFull.status).toBe(409);
    expect(RoomErrors.roomFull.is(RoomErrors.roomFull())).toBe(true);
    expect(RoomErrors.roomFull.is(RoomErrors.roomNotFound())).toBe(false);
    expect(RoomErrors.roomFull.is(new Error('room_full'))).toBe(false);
    expect(listErrors(RoomErrors).map((f) => f.code)).toEqual([
      'room_not_found',
      'room_full',
      'e2ee_required',
    ]);
  });

  it('lets a call override the message and keep a cause', () => {
    const cause = new Error('row missing');
    const error = RoomErrors.roomNotFound(undefined, { message: 'Room r1 not found', cause });
    expect(error.message).toBe('Room r1 not found');
    expect(error.cause).toBe(cause);
  });

  it('rejects malformed catalogues when they are defined', () => {
    expect(() => defineErrors({ roomMissing: { status: 404, message: 'x' } })).toThrow(/UPPER_SNAKE_CASE/);
    expect(() => defineErrors({ ROOM_OK: { status: 200, message: 'x' } })).toThrow(/400-599/);
  });

  it('is typed: unknown factories do not compile', () => {
    // @ts-expect-error roomGone is not in the catalogue
    expect(RoomErrors.roomGone).toBeUndefined();
    const code: 'room_full' = RoomErrors.roomFull().code;
    expect(code).toBe('room_full');
  });
});
