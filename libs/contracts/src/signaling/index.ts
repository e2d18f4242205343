export * from './signaling-messages';
export * from './signaling-envelope';
