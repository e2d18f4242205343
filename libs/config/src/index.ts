export * from './load-config';
export * from './dot-env';
