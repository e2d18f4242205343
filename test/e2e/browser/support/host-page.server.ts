import { createServer, Server } from 'http';
import { freePort } from '../../../support/test-env';

export interface HostPages {
  /** The integrator's site, on an origin of its own (not the room's). */
  origin: string;
  /** The same server under another host name: a third origin, for an intruding frame. */
  otherOrigin: string;
  close(): Promise<void>;
}

/**
 * An integrator's site: `/host.html?room=URL&roomId=ID` embeds the room page in an
 * iframe, loads the bridge from the room's origin, and records every bridge event in
 * `window.events`; `/intruder.html` posts a method call to the room frame from elsewhere.
 */
export async function startHostPages(bridgeUrl: string): Promise<HostPages> {
  const port = await freePort();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname === '/host.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(`<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script src="${bridgeUrl}"></script></head>
<body>
<iframe id="meetframe" allow="camera; microphone; fullscreen; display-capture; autoplay"
  style="width: 800px; height: 500px" src="${url.searchParams.get('room')}"></iframe>
<script>
  window.events = [];
  const names = ['join', 'ready', 'readyToJoin', 'switchOnCamera', 'switchOffCamera', 'errorGetCamera',
    'switchOnMic', 'switchOffMic', 'errorGetMic', 'newPeer', 'peerClosed', 'switchOnPin', 'switchOffPin',
    'connectionClosed', 'disconnected', 'connectionError', 'recordingChanged'];
  const frame = document.getElementById('meetframe');
  frame.addEventListener('load', () => {
    window.bridge = new MeetIframeBridge.default({ element: frame, roomId: ${JSON.stringify(url.searchParams.get('roomId'))} });
    for (const name of names) window.bridge.on(name, (data) => window.events.push({ name, data }));
  });
</script></body></html>`);
    }
    if (url.pathname === '/intruder.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(`<!doctype html><script>
  const call = { channel: 'confer-meet-bridge', kind: 'method', roomId: ${JSON.stringify(url.searchParams.get('roomId'))}, callId: 990, name: 'disableMic' };
  top.frames[0].postMessage(call, '*');
  window.parent.postMessage({ channel: 'confer-meet-bridge', kind: 'event', roomId: call.roomId, name: 'peerClosed', data: { peerId: 'forged' } }, '*');
</script>`);
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'not_found', message: url.pathname } }));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${port}`,
    otherOrigin: `http://localhost:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
