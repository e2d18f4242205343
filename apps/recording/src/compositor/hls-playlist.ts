/** The parts of an HLS media playlist the composite writes and reads back. */
export interface HlsPlaylist {
  segments: { uri: string; durationSeconds: number }[];
  ended: boolean;
}

export function parsePlaylist(text: string): HlsPlaylist {
  const segments: HlsPlaylist['segments'] = [];
  let duration: number | null = null;
  let ended = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#EXTINF:')) duration = parseFloat(line.slice('#EXTINF:'.length));
    else if (line === '#EXT-X-ENDLIST') ended = true;
    else if (line && !line.startsWith('#') && duration !== null) {
      segments.push({ uri: line, durationSeconds: duration });
      duration = null;
    }
  }
  return { segments, ended };
}

/** An EVENT playlist, closed: what ffmpeg writes at a normal end. */
export function formatClosedPlaylist(segments: HlsPlaylist['segments']): string {
  return formatPlaylist({ segments, ended: true });
}

/** An EVENT playlist: still open (a part being recorded), or closed with EXT-X-ENDLIST. */
export function formatPlaylist({ segments, ended }: HlsPlaylist): string {
  const target = Math.max(1, ...segments.map((s) => Math.ceil(s.durationSeconds)));
  return [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    `#EXT-X-TARGETDURATION:${target}`,
    '#EXT-X-MEDIA-SEQUENCE:0',
    '#EXT-X-PLAYLIST-TYPE:EVENT',
    ...segments.flatMap((s) => [`#EXTINF:${s.durationSeconds.toFixed(6)},`, s.uri]),
    ...(ended ? ['#EXT-X-ENDLIST'] : []),
    '',
  ].join('\n');
}

export function playlistDuration(playlist: HlsPlaylist): number {
  return playlist.segments.reduce((sum, s) => sum + s.durationSeconds, 0);
}
