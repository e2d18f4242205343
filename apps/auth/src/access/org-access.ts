export { assertOrgAccess } from '@confer/auth-client';
