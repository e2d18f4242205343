import { ApiPropertyOptional, ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min, ValidateIf } from 'class-validator';

/** PUT body: the settings to change; omitted ones keep their value. */
export class UpdateOrgRecordingSettingsDto {
  @ApiPropertyOptional({ description: 'Record every room of the organisation automatically' })
  @IsOptional()
  @IsBoolean()
  autoRecord?: boolean;

  @ApiPropertyOptional({
    description: 'Auto-recording starts this long after the first participant joins',
    example: 60,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3600)
  startDelaySeconds?: number;

  @ApiPropertyOptional({
    description: 'Auto-recording stops this long after the last participant left',
    example: 60,
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(3600)
  stopDelaySeconds?: number;

  @ApiPropertyOptional({
    description: 'Longest part, at most 4 hours; a longer recording is cut into parts',
    example: 14400,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(14400)
  maxPartSeconds?: number;

  @ApiPropertyOptional({
    description: 'Delete files this many days after the recording started; null keeps them',
    nullable: true,
    type: Number,
  })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(36500)
  retentionDays?: number | null;

  @ApiPropertyOptional({
    description: 'File addresses carry an expiring signature; unsigned ones are refused',
  })
  @IsOptional()
  @IsBoolean()
  signedUrls?: boolean;
}

export class OrgRecordingSettingsView {
  @ApiProperty() autoRecord!: boolean;
  @ApiProperty() startDelaySeconds!: number;
  @ApiProperty() stopDelaySeconds!: number;
  @ApiProperty() maxPartSeconds!: number;
  @ApiProperty({ nullable: true, type: Number }) retentionDays!: number | null;
  @ApiProperty() signedUrls!: boolean;
}
