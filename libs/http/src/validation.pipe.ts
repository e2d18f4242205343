import { ArgumentMetadata, Injectable, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { HttpErrors } from './http-errors';
import { flattenValidationErrors, validationMessage } from './validation-problems';

/** Carries class-validator's errors out of the factory, which does not know the location. */
class ValidationFailure extends Error {
  constructor(readonly errors: ValidationError[]) {
    super('validation failed');
  }
}

/**
 * Nest's ValidationPipe with Confer's defaults (unknown properties are rejected,
 * payloads become DTO instances) and failures raised as 400 `invalid_request`
 * with `details: [{ field, problems }]`.
 */
@Injectable()
export class RequestValidationPipe extends ValidationPipe {
  constructor(options: Omit<ValidationPipeOptions, 'exceptionFactory'> = {}) {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      ...options,
      exceptionFactory: (errors: ValidationError[]) => new ValidationFailure(errors),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      if (!(error instanceof ValidationFailure)) throw error;
      const problems = flattenValidationErrors(error.errors);
      throw HttpErrors.invalidRequest(problems, { message: validationMessage(problems, metadata.type) });
    }
  }
}
