import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SigningKeyEntity } from './signing-key.entity';
import { SigningKeys } from './signing-keys.service';
import { DiscoveryHttpController } from './discovery/discovery.http.controller';

@Module({
  imports: [TypeOrmModule.forFeature([SigningKeyEntity])],
  controllers: [DiscoveryHttpController],
  providers: [SigningKeys],
  exports: [SigningKeys],
})
export class SigningKeysModule {}
