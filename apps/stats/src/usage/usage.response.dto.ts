import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UsageRow } from './usage.service';

/** One room's use on one UTC day, as the OpenAPI document describes it. */
export class UsageRowView implements UsageRow {
  @ApiProperty({ example: '2021-06-21', description: 'UTC day (YYYY-MM-DD)' })
  day!: string;

  @ApiProperty({ example: 'consult-42' })
  room_id!: string;

  @ApiProperty({
    example: 5400,
    description:
      'Participant time of finished sessions, 30 s per peer and bucket; 0 when the room was only recorded',
  })
  participant_seconds!: number;

  @ApiProperty({ example: 90, description: '`participant_seconds` / 60' })
  participant_minutes!: number;

  @ApiProperty({ example: 3, description: 'Most peers present in one 30-second bucket of the day' })
  peak_peers!: number;

  @ApiProperty({
    example: 1800,
    description:
      'Recorded time: completed recording parts that started this UTC day (a part running past midnight counts on its start day), each in whole seconds rounded up',
  })
  recorded_seconds!: number;
}

class UsageLink {
  @ApiProperty({
    example: '/v1/stats/usage?from=2021-06-01T00:00:00.000Z&to=2021-07-01T00:00:00.000Z&page=0&count=50',
  })
  href!: string;
}

class UsageLinks {
  @ApiProperty({ type: UsageLink }) self!: UsageLink;
  @ApiPropertyOptional({ type: UsageLink }) next?: UsageLink;
  @ApiPropertyOptional({ type: UsageLink }) previous?: UsageLink;
}

/** A HAL page of usage rows, by day then room id. */
export class UsagePage {
  @ApiProperty({ type: [UsageRowView] }) content!: UsageRowView[];
  @ApiProperty({ type: UsageLinks }) _links!: UsageLinks;
}
