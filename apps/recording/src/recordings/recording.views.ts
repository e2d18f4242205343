import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { RECORDING_STATUSES } from './recording.rows';

export class RecordingPartView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 1 }) partNumber!: number;
  @ApiProperty({
    description: "The part's video id in the Gcore dialect (/streaming/videos/{id})",
    example: 100042,
  })
  videoId!: number;
  @ApiProperty({ example: 'Recording serv0_team 2026-11-24T10:00:00.000Z part 1' }) name!: string;
  @ApiProperty({ enum: RECORDING_STATUSES }) status!: string;
  @ApiProperty() startedAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) endedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) durationSeconds!: number | null;
  @ApiProperty({ description: 'The recorder died during this part: it ends where the recorder did' })
  interrupted!: boolean;
  @ApiPropertyOptional({ nullable: true, type: Number }) bytes!: number | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'HLS playlist, once ready' })
  hlsUrl!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'MP4 (H.264 + AAC, fast start), once ready',
  })
  mp4Url!: string | null;
}

export class RecordingView {
  @ApiProperty() id!: string;
  @ApiProperty() roomId!: string;
  @ApiProperty({ enum: RECORDING_STATUSES }) status!: string;
  @ApiProperty({ description: 'Percent of the processing done (100 when ready)' }) progress!: number;
  @ApiProperty({ enum: ['moderator', 'api', 'auto'] }) trigger!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) startedBy!: string | null;
  @ApiProperty() startedAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) stoppedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) stopReason!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) readyAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) failureReason!: string | null;
  @ApiProperty({ description: "The ready parts' durations added up" }) durationSeconds!: number;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'When retention deletes the files' })
  expiresAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) deletedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, enum: ['requested', 'retention'], type: String })
  deleteReason!: string | null;
  @ApiProperty({ type: [RecordingPartView] }) parts!: RecordingPartView[];
}

export class RecordingPageView {
  @ApiProperty({ type: [RecordingView] }) recordings!: RecordingView[];
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Pass as `cursor` for the next page' })
  nextCursor!: string | null;
}
