import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { RefreshTokenEntity } from './refresh-token.entity';
import { RefreshTokens } from './refresh-tokens';
import { IssueToken } from './issue-token.service';
import { TokenHttpController } from './token.http.controller';
import { RefreshTokenPurge } from './refresh-token-purge';

@Module({
  imports: [TypeOrmModule.forFeature([RefreshTokenEntity]), ApiKeysModule],
  controllers: [TokenHttpController],
  providers: [RefreshTokens, IssueToken, RefreshTokenPurge],
})
export class OAuthModule {}
