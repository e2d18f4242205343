import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { PageQueryDto } from '@confer/http';

export class UsageQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'ISO-8601 start (inclusive); default 30 days before `to`' })
  @IsOptional()
  @IsString()
  from?: string;

  @ApiPropertyOptional({ description: 'ISO-8601 end (exclusive); default now' })
  @IsOptional()
  @IsString()
  to?: string;
}
