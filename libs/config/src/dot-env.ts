import { existsSync, readFileSync } from 'fs';

/**
 * Reads KEY=value lines (# comments, blank lines ignored) of a .env file into
 * `env`, never overriding a variable the environment already has.
 */
export function applyDotEnv(file: string, env: NodeJS.ProcessEnv = process.env): void {
  if (!existsSync(file)) return;
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    const eq = line.indexOf('=');
    if (!line || line.startsWith('#') || eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    if (env[key] === undefined) env[key] = line.slice(eq + 1).trim();
  }
}
