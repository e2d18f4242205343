import { defineErrors } from '@confer/http';

/** The stats service's closed catalogue; the Gcore statistics routes answer them as `{data: null, errors: [...]}`. */
export const StatsErrors = defineErrors({
  INVALID_PERIOD: {
    status: 400,
    message: '"from" and "to" are ISO-8601 times (e.g. 2021-06-21T00:00:00.0Z), "from" not after "to"',
  },
  ROOM_ID_REQUIRED: { status: 400, message: '"room_id" is required: 1 to 128 letters, digits, "_" or "-"' },
  UNAUTHORIZED: { status: 403, message: 'Unauthorized access: send a valid organisation access token' },
  NO_DATA: { status: 404, message: 'There is no data for this room in the period' },
});
