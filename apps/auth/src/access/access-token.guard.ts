export { AccessTokenGuard } from '@confer/auth-client';
