import { ErrorDetails } from './app-error';

/** The single error shape every Confer service answers 4xx/5xx with. */
export interface ErrorBody {
  code: string;
  message: string;
  details?: ErrorDetails;
  /** The request's trace id, for support to find the trace and the logs. */
  traceId?: string;
}

export interface ErrorResponseBody {
  error: ErrorBody;
}
