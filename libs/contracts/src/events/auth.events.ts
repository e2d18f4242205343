import { Type } from '@sinclair/typebox';
import { defineEvent } from './define-event';

export const OrganisationCreated = defineEvent({
  type: 'organisation.created',
  version: 1,
  summary: 'An operator created an organisation.',
  data: Type.Object({ orgId: Type.String(), name: Type.String() }),
});

export const ApiKeyCreated = defineEvent({
  type: 'api-key.created',
  version: 1,
  summary: 'An API key was created for an organisation. The secret is never carried.',
  data: Type.Object({ orgId: Type.String(), apiKey: Type.String(), name: Type.Optional(Type.String()) }),
});

export const ApiKeyRevoked = defineEvent({
  type: 'api-key.revoked',
  version: 1,
  summary: 'An API key was revoked: tokens it signs are refused from now on.',
  data: Type.Object({ orgId: Type.String(), apiKey: Type.String() }),
});

export const RefreshTokenReuseDetected = defineEvent({
  type: 'refresh-token.reused',
  version: 1,
  summary: 'A spent refresh token was presented again; its whole token family was revoked.',
  data: Type.Object({ orgId: Type.String(), clientId: Type.String(), familyId: Type.String() }),
});
