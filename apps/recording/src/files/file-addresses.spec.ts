import { RecordingConfig } from '../config/recording.config';
import { FileAddresses } from './file-addresses';

const config = (key?: string) =>
  ({
    PUBLIC_URL: 'https://video.example.com/',
    RECORDING_SIGNED_URL_SECONDS: 600,
    RECORDING_URL_SIGNING_KEY: key,
  }) as unknown as RecordingConfig;

describe('FileAddresses', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  const now = Date.parse('2026-11-24T10:00:00Z');

  it('builds unsigned addresses on the public base URL, and Gcore origin host and resource', () => {
    const addresses = new FileAddresses(config(key));
    expect(addresses.url('fileid_1234567890abcd', 'video.mp4', false)).toBe(
      'https://video.example.com/v1/recording-files/fileid_1234567890abcd/video.mp4',
    );
    expect(addresses.host).toBe('video.example.com');
    expect(addresses.resource('fileid_1234567890abcd', 'video.mp4', false)).toBe(
      'v1/recording-files/fileid_1234567890abcd/video.mp4',
    );
  });

  it('accepts its own signature until it expires, for every file of the part', () => {
    const addresses = new FileAddresses(config(key));
    const url = new URL(addresses.url('part_a_123456789012', 'index.m3u8', true, now));
    const expires = url.searchParams.get('expires');
    const signature = url.searchParams.get('signature');
    expect(Number(expires)).toBe(now / 1000 + 600);
    expect(addresses.verify('part_a_123456789012', expires, signature, now + 599_000)).toBe(true);
    expect(addresses.verify('part_a_123456789012', expires, signature, now + 601_000)).toBe(false);
  });

  it('refuses another part, a moved expiry, another key and malformed values', () => {
    const addresses = new FileAddresses(config(key));
    const url = new URL(addresses.url('part_a_123456789012', 'video.mp4', true, now));
    const expires = url.searchParams.get('expires')!;
    const signature = url.searchParams.get('signature')!;
    expect(addresses.verify('part_b_123456789012', expires, signature, now)).toBe(false);
    expect(addresses.verify('part_a_123456789012', String(Number(expires) + 1), signature, now)).toBe(false);
    const other = new FileAddresses(config(Buffer.alloc(32, 8).toString('base64')));
    expect(other.verify('part_a_123456789012', expires, signature, now)).toBe(false);
    expect(addresses.verify('part_a_123456789012', undefined, signature, now)).toBe(false);
    expect(addresses.verify('part_a_123456789012', '1e10', signature, now)).toBe(false);
    expect(addresses.verify('part_a_123456789012', expires, `${signature}x`, now)).toBe(false);
  });
});
