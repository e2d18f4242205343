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

/** Roles that run a room (Gcore's moderator, Coviu's session owner, Datagram's host): they moderate, and may record. */
export const ModeratingRoles: readonly ParticipantRole[] = ['moderator', 'owner', 'host'];

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
  identity: Type.Optional(
    Type.String({
      description:
        "Who the participant is: identity, peer id, user id or user name. Absent only for a Gcore room token that names no participant (no peerId, no sub) verified without the joiner's peerId; the rooms service then generates a peer id.",
    }),
  ),
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
    roomId: Type.Optional(
      Type.String({
        description: 'The room being entered; a token that names another room is refused with wrong_room.',
      }),
    ),
    orgId: Type.Optional(
      Type.String({
        description:
          "The organisation that owns the room being entered. When given, a token signed by a key of another organisation is refused with wrong_audience, and Gcore room tokens that name no key (no header kid) are checked against this organisation's live keys. When omitted, the verifier only establishes that the token is authentic and which organisation's key signed it: the caller MUST then compare participant.orgId with the room's owner before admitting the participant.",
      }),
    ),
    peerId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 256,
        description:
          "The joiner's own peerId URL attribute (Gcore room links). Used as participant.identity only when the token names no participant itself (no peerId or sub claim): values in the token win over URL attributes. Ignored for the other forms, whose tokens always name the participant.",
      }),
    ),
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
