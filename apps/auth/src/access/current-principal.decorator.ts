export { CurrentPrincipal } from '@confer/auth-client';
export type { Principal } from '@confer/auth-client';
