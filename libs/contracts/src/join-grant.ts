/**
 * The join grant: what the rooms service hands an admitted peer and the media service
 * checks before it carries that peer's media. Rooms replicas sign grants with keys of
 * their own (Ed25519) and list the public halves at JOIN_GRANT_KEYS_PATH on the rooms
 * service, a key set apart from auth's public JWKS: no integrator or other verifier ever
 * trusts a rooms key for anything but a grant.
 */
export const JOIN_GRANT_AUDIENCE = 'confer:join-grant';
export const JOIN_GRANT_ALGORITHM = 'EdDSA';
/** On the rooms service: the JWKS of the keys grants are signed with. */
export const JOIN_GRANT_KEYS_PATH = '/v1/join-grant-keys';
