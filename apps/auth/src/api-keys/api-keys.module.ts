import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ApiKeyEntity } from './api-key.entity';
import { OrganisationEntity } from '../organisations/organisation.entity';
import { ApiKeyCredentials } from './api-key-credentials';
import { CreateApiKey } from './create-api-key/create-api-key.service';
import { CreateApiKeyHttpController } from './create-api-key/create-api-key.http.controller';
import { ListApiKeysHttpController } from './list-api-keys/list-api-keys.http.controller';
import { ListApiKeys } from './list-api-keys/list-api-keys.service';
import { RevokeApiKey } from './revoke-api-key/revoke-api-key.service';
import { RevokeApiKeyHttpController } from './revoke-api-key/revoke-api-key.http.controller';

const httpControllers = [CreateApiKeyHttpController, ListApiKeysHttpController, RevokeApiKeyHttpController];
const useCases = [CreateApiKey, RevokeApiKey, ListApiKeys];

@Module({
  imports: [TypeOrmModule.forFeature([ApiKeyEntity, OrganisationEntity])],
  controllers: httpControllers,
  providers: [ApiKeyCredentials, ...useCases],
  exports: [ApiKeyCredentials, CreateApiKey],
})
export class ApiKeysModule {}
