import { Type, Static } from '@sinclair/typebox';
import { defineCommand } from './define-command';

export const ParticipantRoles = [
  'participant',
  'moderator',
  'interpreter',
  'viewer',
  'speaker',
  'owner',
  'guest',
  'host',
] as const;
export type ParticipantRole = (typeof ParticipantRoles)[number];

export const TokenForms = ['confer', 'coviu', 'twilio', 'gcore', 'datagram'] as const;
export type TokenForm = (typeof TokenForms)[number];

/** Why a participant token was refused. Stable: callers branch on these. */
export const TokenRefusalReasons = [
  'malformed',
  'expired',
  'not_yet_valid',
  'bad_signature',
  'unknown_key',
  'key_revoked',
  'algorithm_not_allowed',
  'wrong_room',
  'wrong_audience',
  'lifetime_too_long',
  'missing_claim',
] as const;
export type TokenRefusalReason = (typeof TokenRefusalReasons)[number];

export const VerifiedParticipantSchema = Type.Object({
  form: Type.Union(TokenForms.map((f) => Type.Literal(f))),
  orgId: Type.String(),
  /** The room the token admits to, or null when the token names none (any room of the organisation). */
  roomId: Type.Union([Type.String(), Type.Null()]),
  identity: Type.String({ description: 'Who the participant is: identity, peer id, user id or user name' }),
  displayName: Type.Optional(Type.String()),
  role: Type.Union(ParticipantRoles.map((r) => Type.Literal(r))),
  /** Every other claim the token carried (room attributes such as canRecord, waitingRoom, startTime). */
  attributes: Type.Record(Type.String(), Type.Unknown()),
  keyId: Type.String({ description: 'The key that signed the token' }),
  tokenId: Type.Optional(Type.String()),
  notBefore: Type.Optional(Type.Integer({ description: 'epoch seconds' })),
  expiresAt: Type.Optional(Type.Integer({ description: 'epoch seconds' })),
});
export type VerifiedParticipant = Static<typeof VerifiedParticipantSchema>;

export const VerifyParticipantToken = defineCommand({
  service: 'auth',
  name: 'participant-token.verify',
  summary: 'Verify a participant token of any accepted form and say who it admits, or exactly why not.',
  request: Type.Object({
    token: Type.String({ minLength: 1, maxLength: 16384 }),
    /** The room being entered; a token for another room is refused with wrong_room. */
    roomId: Type.Optional(Type.String()),
    /** The organisation that owns the room, when the caller knows it (lets keyless HS256 tokens be matched). */
    orgId: Type.Optional(Type.String()),
  }),
  reply: Type.Union([
    Type.Object({ valid: Type.Literal(true), participant: VerifiedParticipantSchema }),
    Type.Object({
      valid: Type.Literal(false),
      reason: Type.Union(TokenRefusalReasons.map((r) => Type.Literal(r))),
      message: Type.String(),
    }),
  ]),
});

export const RegisterAliasCredential = defineCommand({
  service: 'auth',
  name: 'alias-credential.register',
  summary:
    'Register (or replace) the signing secret of a private alias, so that HS256 alias tokens signed with it are accepted until the alias expires.',
  request: Type.Object({
    aliasId: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' }),
    orgId: Type.String({ minLength: 1 }),
    /** The room the alias opens; alias tokens admit to this room only. */
    roomId: Type.String({ minLength: 1 }),
    /** The alias's jwt_secret; stored encrypted, never returned. */
    jwtSecret: Type.String({ minLength: 8, maxLength: 1024 }),
    expiresAt: Type.Integer({
      description: 'epoch seconds after which the alias and its tokens are refused',
    }),
  }),
  reply: Type.Object({
    aliasId: Type.String(),
    expiresAt: Type.Integer({ description: 'epoch seconds' }),
  }),
});
