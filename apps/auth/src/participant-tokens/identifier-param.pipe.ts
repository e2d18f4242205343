import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { HttpErrors } from '@confer/http';
import { identifierProblem } from './identifiers';

/**
 * Refuses a path parameter that cannot be an id of ours (a NUL byte, control
 * characters, kilobytes) with 400 invalid_request, before it reaches a query that
 * PostgreSQL would fail with a 500.
 */
@Injectable()
export class IdentifierParamPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    const problem = identifierProblem(value);
    if (problem === undefined) return value as string;
    const field = metadata.data ?? 'path parameter';
    const message = `${field} ${problem}`;
    throw HttpErrors.invalidRequest([{ field, problems: [message] }], { message });
  }
}
