import { ApiProperty } from '@nestjs/swagger';

/** Shaped like a Twilio token endpoint's answer: who, and the token. */
export class MintedParticipantTokenResponseDto {
  @ApiProperty({ example: 'user-42' })
  identity: string;

  @ApiProperty({
    description: 'A Confer participant token (RS256 JWT); present it to join the room',
    example: 'eyJhbGciOiJSUzI1NiIs…',
  })
  token: string;
}
