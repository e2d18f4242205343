import { NatsError } from 'nats';

/** JetStream API error codes (server `err_code`) the library branches on. */
export const JsErrCode = {
  ConsumerNotFound: 10014,
  StreamNameInUse: 10058,
  StreamNotFound: 10059,
  ConsumerAlreadyExists: 10148,
  ConsumerNameExists: 10013,
} as const;

export function jsErrCode(err: unknown): number | undefined {
  return err instanceof NatsError ? err.api_error?.err_code : undefined;
}

export function natsErrCode(err: unknown): string | undefined {
  return err instanceof NatsError ? err.code : undefined;
}
