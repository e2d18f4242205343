import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AUTH_CONFIG, AuthConfig } from '../../config/auth.config';
import { OrganisationEntity } from '../organisation.entity';
import { AuthErrors } from '../../auth.errors';

export interface OrganisationView {
  org: OrganisationEntity;
  /** The limit new tokens carry: the organisation's own, else the service default. */
  effectiveRateLimitPerSecond: number;
}

@Injectable()
export class GetOrganisation {
  constructor(
    @InjectRepository(OrganisationEntity) private readonly organisations: Repository<OrganisationEntity>,
    @Inject(AUTH_CONFIG) private readonly config: AuthConfig,
  ) {}

  async execute(orgId: string): Promise<OrganisationView> {
    const org = await this.organisations.findOneBy({ id: orgId });
    if (!org) {
      throw AuthErrors.organisationNotFound({ orgId }, { message: `organisation ${orgId} does not exist` });
    }
    return {
      org,
      effectiveRateLimitPerSecond: org.rateLimitPerSecond ?? this.config.DEFAULT_RATE_LIMIT_PER_SECOND,
    };
  }
}
