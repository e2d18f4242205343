import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AccessTokenGuard } from '@confer/auth-client';
import { AppError } from '@confer/http';
import { StatsErrors } from '../stats.errors';

/**
 * The organisation's access token, as on every server API; but the Gcore statistics routes
 * document 403 for an unauthorised caller where our guard answers 401, so 401 becomes 403.
 */
@Injectable()
export class StatisticsAccessGuard implements CanActivate {
  constructor(private readonly guard: AccessTokenGuard) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    try {
      return await this.guard.canActivate(context);
    } catch (error) {
      if (error instanceof AppError && error.status === 401)
        throw StatsErrors.unauthorized(undefined, { message: error.message, cause: error });
      throw error;
    }
  }
}
