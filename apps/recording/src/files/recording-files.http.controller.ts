import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrors } from '@confer/http';
import { RecordingErrors } from '../recording.errors';
import { OrgRecordingSettingsStore } from '../settings/org-recording-settings';
import { PART_FILE, RecordingStorage } from '../storage/recording-storage.port';
import { FileAddresses, FILES_PATH } from './file-addresses';
import { DataSource } from 'typeorm';

/**
 * A part's files: playlist, segments and MP4, with range requests. The unguessable file id is
 * the capability; an organisation that asks for signed addresses gets none served unsigned.
 */
@ApiTags('recordings')
@Controller(FILES_PATH)
export class RecordingFilesHttpController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: RecordingStorage,
    private readonly settings: OrgRecordingSettingsStore,
    private readonly addresses: FileAddresses,
  ) {}

  @Get(':fileId/:name')
  @ApiOperation({
    summary:
      'One file of a recording part (index.m3u8, segment-NNNNN.ts or video.mp4); Range requests answer 206',
  })
  @ApiQuery({ name: 'expires', required: false, description: 'Signed addresses: epoch seconds' })
  @ApiQuery({ name: 'signature', required: false, description: 'Signed addresses: the signature' })
  @ApiOkResponse({ description: 'The file' })
  @ApiErrors(403, 404)
  async file(
    @Param('fileId') fileId: string,
    @Param('name') name: string,
    @Query('expires') expires: unknown,
    @Query('signature') signature: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    if (!/^[A-Za-z0-9_-]{16,64}$/.test(fileId) || !PART_FILE.test(name)) throw RecordingErrors.fileNotFound();
    const [part] = (await this.dataSource.query(
      `SELECT r.org_id, p.duration_seconds FROM recording_parts p JOIN recordings r ON r.id = p.recording_id
       WHERE p.file_id = $1 AND p.status = 'ready' AND r.deleted_at IS NULL`,
      [fileId],
    )) as { org_id: string; duration_seconds: number | null }[];
    if (!part) throw RecordingErrors.fileNotFound();
    const signed = (await this.settings.get(part.org_id)).signedUrls;
    if (signed && !this.addresses.verify(fileId, expires, signature))
      throw RecordingErrors.signatureRequired();
    if (signed && name === 'index.m3u8') {
      // Segments are named relative to the playlist: each gets the playlist's signature.
      const playlist = await this.storage.readText(fileId, name);
      if (playlist === null) throw RecordingErrors.fileNotFound();
      // A player fetches segments for as long as it plays: each gets a signature of its own
      // that lasts the part's length beyond the usual validity.
      const query = this.addresses.signature(fileId, Date.now(), part.duration_seconds ?? 0);
      response
        .setHeader('cache-control', 'private, no-store')
        .type('application/vnd.apple.mpegurl')
        .send(playlist.replace(/^(segment-[0-9]{5}\.ts)$/gm, `$1?${query}`));
      return;
    }
    // Not `public`: a deleted recording, or one whose organisation turned signing on, must not
    // live on in shared caches.
    response.setHeader('cache-control', 'private, max-age=300');
    await this.storage.serve(fileId, name, request, response);
  }
}
