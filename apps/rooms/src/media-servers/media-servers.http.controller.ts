import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { MediaServers } from './media-servers';

class MediaServerDto {
  @ApiProperty({ example: 'serv0' }) id: string;
  @ApiProperty({ example: 'Luxembourg' }) region: string;
  @ApiProperty({ example: 'https://media0.example.com' }) url: string;
  @ApiProperty({ description: 'Rooms without a servN prefix live here' }) default: boolean;
}

class MediaServerListDto {
  @ApiProperty({ type: [MediaServerDto] }) servers: MediaServerDto[];
}

@ApiTags('media servers')
@Controller('v1/media-servers')
export class MediaServersHttpController {
  constructor(private readonly mediaServers: MediaServers) {}

  @Get()
  @ApiOperation({ summary: "The media servers a room id's servN prefix chooses from" })
  @ApiOkResponse({ type: MediaServerListDto })
  list(): MediaServerListDto {
    return { servers: [...this.mediaServers.all] };
  }
}
