import { OutboundGuard } from './outbound-guard';

describe('OutboundGuard', () => {
  const guard = new OutboundGuard([]);

  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
  ])('refuses %s', (address) => {
    expect(guard.allows('example.test', address)).toBe(false);
  });

  it('allows public addresses', () => {
    expect(guard.allows('example.com', '93.184.216.34')).toBe(true);
    expect(guard.allows('example.com', '2606:2800:220:1:248:1893:25c8:1946')).toBe(true);
  });

  it('lets an operator allow named hosts, addresses and ranges', () => {
    const allowing = new OutboundGuard(['localhost', '10.0.0.0/8', '::1']);
    expect(allowing.allows('localhost', '127.0.0.1')).toBe(true);
    expect(allowing.allows('db.internal', '10.9.9.9')).toBe(true);
    expect(allowing.allows('x', '::1')).toBe(true);
    expect(allowing.allows('x', '192.168.0.1')).toBe(false);
  });

  it('refuses a URL naming a private address outright, brackets and all', () => {
    expect(() => guard.assertUrlAllowed(new URL('http://10.1.2.3/check'))).toThrow('private address');
    expect(() => guard.assertUrlAllowed(new URL('http://[::1]:8080/check'))).toThrow('private address');
    expect(() => guard.assertUrlAllowed(new URL('https://93.184.216.34/check'))).not.toThrow();
    expect(() => guard.assertUrlAllowed(new URL('https://example.com/check'))).not.toThrow();
  });

  it('refuses at connection time through its lookup', (done) => {
    guard.lookup('localhost', {}, (error) => {
      expect(error?.code).toBe('EPRIVATEADDRESS');
      done();
    });
  });
});
