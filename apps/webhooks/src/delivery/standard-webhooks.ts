import { createHmac, randomBytes } from 'crypto';

/** A new per-subscription secret in the Standard Webhooks form `whsec_<base64>`. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/**
 * The Standard Webhooks headers (standardwebhooks.com): `webhook-signature` holds one
 * `v1,<base64 HMAC-SHA256>` of `id.timestamp.body` per secret, space-separated, so one
 * delivery shared by several subscriptions verifies under each of their secrets.
 */
export function standardWebhookHeaders(
  id: string,
  timestampSeconds: number,
  body: string,
  secrets: readonly string[],
): Record<string, string> {
  const content = `${id}.${timestampSeconds}.${body}`;
  const signatures = secrets.map((secret) => {
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    return `v1,${createHmac('sha256', key).update(content).digest('base64')}`;
  });
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signatures.join(' '),
  };
}
