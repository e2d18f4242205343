import { ConsumeReply } from './media-feed.port';

/**
 * The SDP that tells ffmpeg what arrives on our ports: one stream, described by the
 * media server's consume reply. RTCP goes to the port after RTP (ffmpeg's own rule for
 * SDP input, which the port pool follows).
 */
export function rtpSdp(
  reply: ConsumeReply,
  listen: { ip: string; rtpPort: number; rtcpPort: number },
): string {
  const family = listen.ip.includes(':') ? 'IP6' : 'IP4';
  const codec = reply.mimeType.split('/')[1] ?? reply.mimeType;
  const channels = reply.kind === 'audio' ? `/${reply.channels ?? 1}` : '';
  const fmtp = Object.entries(reply.parameters ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(';');
  return (
    [
      'v=0',
      `o=- 0 0 IN ${family} ${listen.ip}`,
      's=Confer recorder',
      `c=IN ${family} ${listen.ip}`,
      't=0 0',
      `m=${reply.kind} ${listen.rtpPort} RTP/AVP ${reply.payloadType}`,
      `a=rtcp:${listen.rtcpPort}`,
      `a=rtpmap:${reply.payloadType} ${codec}/${reply.clockRate}${channels}`,
      ...(fmtp ? [`a=fmtp:${reply.payloadType} ${fmtp}`] : []),
      'a=recvonly',
    ].join('\r\n') + '\r\n'
  );
}
