import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ErrorDetails } from './app-error';
import { ErrorBody, ErrorResponseBody } from './error-response';

export class ApiErrorBody implements ErrorBody {
  @ApiProperty({ description: 'Stable, machine-readable error code', example: 'invalid_request' })
  code: string;

  @ApiProperty({ description: 'Human-readable explanation', example: 'body.name must be a string' })
  message: string;

  @ApiPropertyOptional({
    description: 'Machine-readable context; for `invalid_request`, one entry per invalid field',
    oneOf: [
      {
        type: 'array',
        items: {
          type: 'object',
          properties: { field: { type: 'string' }, problems: { type: 'array', items: { type: 'string' } } },
        },
      },
      { type: 'object', additionalProperties: true },
    ],
    example: [{ field: 'name', problems: ['name must be a string'] }],
  })
  details?: ErrorDetails;

  @ApiPropertyOptional({
    description: 'Trace id of the request, to quote to support',
    example: '4bf92f3577b34da6a3ce929d0e0e4736',
  })
  traceId?: string;
}

/** The error envelope, as a class so @nestjs/swagger can put it in the spec. */
export class ApiErrorResponse implements ErrorResponseBody {
  @ApiProperty({ type: () => ApiErrorBody })
  error: ApiErrorBody;
}
