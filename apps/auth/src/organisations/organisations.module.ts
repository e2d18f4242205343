import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganisationEntity } from './organisation.entity';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { CreateOrganisation } from './create-organisation/create-organisation.service';
import { SetRateLimit } from './set-rate-limit/set-rate-limit.service';
import { GetOrganisationHttpController } from './get-organisation/get-organisation.http.controller';
import { GetOrganisation } from './get-organisation/get-organisation.service';

const httpControllers = [GetOrganisationHttpController];
const useCases = [CreateOrganisation, SetRateLimit, GetOrganisation];

@Module({
  imports: [TypeOrmModule.forFeature([OrganisationEntity]), ApiKeysModule],
  controllers: httpControllers,
  providers: useCases,
  exports: useCases,
})
export class OrganisationsModule {}
