import { createHmac } from 'crypto';
import { newSigningSecret, standardWebhookHeaders } from './standard-webhooks';

describe('Standard Webhooks headers', () => {
  it('signs id.timestamp.body with each secret', () => {
    const a = newSigningSecret();
    const b = newSigningSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/=]+$/);
    const headers = standardWebhookHeaders('evt_1', 1700000000, '{"x":1}', [a, b]);
    expect(headers['webhook-id']).toBe('evt_1');
    expect(headers['webhook-timestamp']).toBe('1700000000');
    const expected = (secret: string) =>
      createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
        .update('evt_1.1700000000.{"x":1}')
        .digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${expected(a)} v1,${expected(b)}`);
  });
});
