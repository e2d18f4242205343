import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class CreateApiKeyRequestDto {
  @ApiPropertyOptional({ description: 'A label for people, e.g. "billing backend"', maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;
}
