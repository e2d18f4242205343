import { Body, Controller, Get, Param, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessTokenGuard, CurrentPrincipal, Principal } from '@confer/auth-client';
import { ApiErrors } from '@confer/http';
import { RecordingErrors } from '../recording.errors';
import { OrgRecordingSettingsStore } from './org-recording-settings';
import { OrgRecordingSettingsView, UpdateOrgRecordingSettingsDto } from './org-recording-settings.dto';

@ApiTags('recordings')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/settings/recording')
@UseGuards(AccessTokenGuard)
export class OrgRecordingSettingsHttpController {
  constructor(private readonly settings: OrgRecordingSettingsStore) {}

  @Get()
  @ApiOperation({ summary: "The organisation's recording settings (auto-recording, part length, retention)" })
  @ApiOkResponse({ type: OrgRecordingSettingsView })
  @ApiErrors(401, 403, 429)
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
  ): Promise<OrgRecordingSettingsView> {
    assertOwnOrg(principal, orgId);
    return this.settings.get(orgId);
  }

  @Put()
  @ApiOperation({ summary: "Change the organisation's recording settings; omitted fields keep their value" })
  @ApiOkResponse({ type: OrgRecordingSettingsView })
  @ApiErrors(400, 401, 403, 429)
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('orgId') orgId: string,
    @Body() body: UpdateOrgRecordingSettingsDto,
  ): Promise<OrgRecordingSettingsView> {
    assertOwnOrg(principal, orgId);
    return this.settings.update(orgId, body);
  }
}

function assertOwnOrg(principal: Principal, orgId: string): void {
  if (principal.orgId !== orgId) throw RecordingErrors.wrongOrganisation({ orgId });
}
