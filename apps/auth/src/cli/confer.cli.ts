import { NestFactory } from '@nestjs/core';
import { INestApplicationContext } from '@nestjs/common';
import { parseArgs } from 'util';
import { loadAuthConfig } from '../config/auth.config';
import { CreateOrganisation } from '../organisations/create-organisation/create-organisation.service';
import { SetRateLimit } from '../organisations/set-rate-limit/set-rate-limit.service';
import { SigningKeys, SigningKeyTooNew } from '../signing-keys/signing-keys.service';
import { CliModule } from './cli.module';

const USAGE = `usage: confer <command> [options]

  org create --name NAME [--rate-limit N] [--json]
      Create an organisation and its first API key. The key secret is printed
      only here: store it. --json prints {"orgId","apiKey","apiKeySecret"}.
  org set-rate-limit --org ORG_ID --rate-limit N|default
      Requests per second allowed per API credential of the organisation.
  signing-keys rotate [--json] [--force]
      Promote the published next key to signing, retire the current one (kept
      published until its tokens expire) and publish a new next key. Refuses a
      next key published less than 5 minutes ago (verifiers cache the JWKS that
      long) unless --force.

Configuration comes from the environment (DATABASE_URL, NATS_URL, SECRET_ENCRYPTION_KEY, ...).`;

class UsageError extends Error {}

type Command = (
  app: INestApplicationContext,
  values: Record<string, string | boolean | undefined>,
) => Promise<string>;

const commands: Record<string, Command> = {
  'org create': async (app, values) => {
    if (typeof values.name !== 'string' || !values.name.trim()) throw new UsageError('--name is required');
    const rateLimit = values['rate-limit'] === undefined ? null : parseRate(values['rate-limit']);
    const created = await app
      .get(CreateOrganisation)
      .execute({ name: values.name, rateLimitPerSecond: rateLimit });
    if (values.json) return JSON.stringify(created);
    return [
      `organisation  ${created.orgId}`,
      `api key       ${created.apiKey}`,
      `api secret    ${created.apiKeySecret}`,
      '',
      'The secret is shown only now: store it safely.',
    ].join('\n');
  },
  'org set-rate-limit': async (app, values) => {
    if (typeof values.org !== 'string') throw new UsageError('--org is required');
    const raw = values['rate-limit'];
    if (raw === undefined) throw new UsageError('--rate-limit is required (a number, or "default")');
    const rate = raw === 'default' ? null : parseRate(raw);
    if (!(await app.get(SetRateLimit).execute(values.org, rate)))
      throw new UsageError(`organisation ${values.org} does not exist`);
    return `organisation ${values.org}: ${rate === null ? 'default rate limit' : `${rate} requests per second`} for tokens issued from now on`;
  },
  'signing-keys rotate': async (app, values) => {
    const rotated = await app.get(SigningKeys).rotate({ force: values.force === true });
    if (values.json) return JSON.stringify(rotated);
    return `signing with ${rotated.activeKid}; next ${rotated.nextKid}; retired ${rotated.retiredKid ?? '(none)'}`;
  },
};

function parseRate(raw: string | boolean): number {
  const rate = Number(raw);
  if (typeof raw !== 'string' || !Number.isFinite(rate) || rate <= 0) {
    throw new UsageError('--rate-limit must be a positive number of requests per second');
  }
  return rate;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      org: { type: 'string' },
      'rate-limit': { type: 'string' },
      json: { type: 'boolean' },
      force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = commands[positionals.slice(0, 2).join(' ')];
  if (values.help || !command) {
    process[values.help ? 'stdout' : 'stderr'].write(USAGE + '\n');
    return values.help ? 0 : 2;
  }
  const app = await NestFactory.createApplicationContext(CliModule.forConfig(loadAuthConfig()), {
    logger: ['error'],
  });
  try {
    process.stdout.write((await command(app, values)) + '\n');
    return 0;
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const usage =
      error instanceof UsageError ||
      error instanceof SigningKeyTooNew ||
      (error instanceof TypeError && 'code' in error);
    process.stderr.write(`confer: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(usage || error instanceof RangeError ? 2 : 1);
  },
);
