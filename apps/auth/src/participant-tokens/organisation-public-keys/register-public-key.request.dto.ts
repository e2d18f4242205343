import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { NO_CONTROL_CHARACTERS } from '../identifiers';

export class RegisterPublicKeyRequestDto {
  @ApiProperty({
    description:
      'An RSA public key of at least 2048 bits, PEM-encoded (SPKI "BEGIN PUBLIC KEY" or PKCS#1 "BEGIN RSA PUBLIC KEY")',
    example:
      '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA…\n-----END PUBLIC KEY-----\n',
  })
  @IsString()
  @Length(1, 16384)
  publicKeyPem: string;

  @ApiPropertyOptional({ description: 'A label for people, e.g. "room token signer 2025"', maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'name must not contain control characters' })
  name?: string;
}
