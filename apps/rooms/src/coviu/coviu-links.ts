import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Paths of the Coviu HAL resources, built in one place so links and routes agree. */
export const coviuPaths = {
  org: (orgId: string) => `/v1/orgs/${encodeURIComponent(orgId)}`,
  subscriptions: (orgId: string) => `${coviuPaths.org(orgId)}/subscriptions`,
  subscription: (orgId: string, subscriptionId: string) =>
    `${coviuPaths.subscriptions(orgId)}/${encodeURIComponent(subscriptionId)}`,
  sessions: (orgId: string) => `${coviuPaths.org(orgId)}/sessions`,
  session: (orgId: string, sessionId: string) =>
    `${coviuPaths.sessions(orgId)}/${encodeURIComponent(sessionId)}`,
  /** Coviu's "client" is the API key that signed the session link; ours live under api-keys. */
  client: (orgId: string, clientId: string) =>
    `${coviuPaths.org(orgId)}/api-keys/${encodeURIComponent(clientId)}`,
};

export class HalLinkDto {
  @ApiProperty() href: string;
}

/**
 * Links of a page of a collection. Pages count from 0, as in every Confer collection;
 * Coviu's own example (page 1, previous page 0) reads the same way.
 */
export class PageLinksDto {
  @ApiProperty({ type: HalLinkDto }) self: HalLinkDto;
  @ApiPropertyOptional({ type: HalLinkDto, description: 'Present when a next page exists' })
  next?: HalLinkDto;
  @ApiPropertyOptional({ type: HalLinkDto, description: 'Present on every page after the first (page 0)' })
  previous?: HalLinkDto;
}
