import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Length, Matches } from 'class-validator';
import { coviuPaths, HalLinkDto, PageLinksDto } from '../coviu-links';
import { SubscriptionEntity } from './subscription.entity';

const PRINTABLE = /^[^\p{Cc}]+$/u;

export class CreateSubscriptionRequestDto {
  @ApiProperty({ description: "Your own id of the user (e.g. your user id); owners' session links carry it" })
  @IsString()
  @Length(1, 256)
  @Matches(PRINTABLE, { message: 'ref must not contain control characters' })
  ref: string;

  @ApiProperty({ example: 'dr.who@example.com' })
  @IsString()
  @Length(3, 320)
  @IsEmail()
  email: string;

  @ApiProperty({ example: 'Dr. Jane Who' })
  @IsString()
  @Length(1, 256)
  @Matches(PRINTABLE, { message: 'name must not contain control characters' })
  name: string;
}

export class SubscriptionContentDto {
  @ApiProperty() ref: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: 'When the subscription started, epoch milliseconds' }) started: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'When it ended (was deleted), epoch milliseconds; null while active',
  })
  ended: number | null;
  @ApiProperty() orgId: string;
  @ApiProperty() active: boolean;
  @ApiProperty() subscriptionId: string;
  @ApiProperty() email: string;
}

class SubscriptionLinksDto {
  @ApiProperty({ type: HalLinkDto }) org: HalLinkDto;
  @ApiProperty({ type: HalLinkDto }) self: HalLinkDto;
}

export class SubscriptionResourceDto {
  @ApiProperty({ type: SubscriptionContentDto }) content: SubscriptionContentDto;
  @ApiProperty({ type: SubscriptionLinksDto }) _links: SubscriptionLinksDto;
}

export class SubscriptionPageDto {
  @ApiProperty({ type: [SubscriptionResourceDto] }) content: SubscriptionResourceDto[];
  @ApiProperty({ type: PageLinksDto }) _links: PageLinksDto;
}

export function subscriptionResource(row: SubscriptionEntity): SubscriptionResourceDto {
  return {
    content: {
      ref: row.ref,
      name: row.name,
      started: row.started.getTime(),
      ended: row.ended ? row.ended.getTime() : null,
      orgId: row.orgId,
      active: row.active,
      subscriptionId: row.subscriptionId,
      email: row.email,
    },
    _links: {
      org: { href: coviuPaths.org(row.orgId) },
      self: { href: coviuPaths.subscription(row.orgId, row.subscriptionId) },
    },
  };
}
