import { execFile } from 'child_process';
import { join } from 'path';

const CLI = join(__dirname, '..', '..', 'apps', 'auth', 'bin', 'confer.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built operator CLI as an operator would (`npx confer …`). */
export function runConferCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { ...process.env, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export async function createOrganisation(
  env: Record<string, string>,
  name = 'Acme',
  extra: string[] = [],
): Promise<{ orgId: string; apiKey: string; apiKeySecret: string }> {
  const result = await runConferCli(['org', 'create', '--name', name, '--json', ...extra], env);
  if (result.code !== 0) throw new Error(`confer org create failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout) as { orgId: string; apiKey: string; apiKeySecret: string };
}
