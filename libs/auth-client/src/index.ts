export * from './principal';
export * from './access-token.verifier';
export * from './remote-jwks-access-token.verifier';
export * from './token-bucket.rate-limiter';
export * from './access-token.guard';
export * from './current-principal.decorator';
export * from './revoked-api-keys';
export * from './revocation-aware.verifier';
