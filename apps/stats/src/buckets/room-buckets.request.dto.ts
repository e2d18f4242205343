import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';

export class RoomBucketsQueryDto {
  @ApiProperty({ description: 'ISO-8601 start (inclusive): buckets starting at or after it' })
  @IsString()
  from!: string;

  @ApiProperty({ description: 'ISO-8601 end (exclusive); at most 7 days after `from`' })
  @IsString()
  to!: string;
}
