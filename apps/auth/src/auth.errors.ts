import { AppError } from '@confer/http';

/** The auth service's closed catalogue of API errors; codes are stable. */
export const AuthErrors = {
  organisationNotFound: (orgId: string) =>
    new AppError('organisation_not_found', 404, `organisation ${orgId} does not exist`),
  apiKeyNotFound: (keyId: string) =>
    new AppError('api_key_not_found', 404, `API key ${keyId} does not exist`),
  lastLiveApiKey: (keyId: string) =>
    new AppError(
      'last_live_api_key',
      409,
      `API key ${keyId} is the organisation's last live key; create another first`,
    ),
  invalidPagination: (message: string) => new AppError('invalid_request', 400, message),
};
