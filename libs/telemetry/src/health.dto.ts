import { ApiProperty } from '@nestjs/swagger';

export class LivenessResponse {
  @ApiProperty({ enum: ['ok'], example: 'ok' })
  status: 'ok';
}

const CHECKS_SCHEMA = {
  type: 'object',
  additionalProperties: { type: 'string' },
  description: 'Each dependency mapped to `ok` or to the reason it is unusable.',
} as const;

export class ReadyResponse {
  @ApiProperty({ enum: ['ready'], example: 'ready' })
  status: 'ready';

  @ApiProperty({ ...CHECKS_SCHEMA, example: { nats: 'ok', database: 'ok' } })
  checks: Record<string, string>;
}

export class NotReadyResponse {
  @ApiProperty({ enum: ['not_ready'], example: 'not_ready' })
  status: 'not_ready';

  @ApiProperty({ ...CHECKS_SCHEMA, example: { nats: 'ok', database: 'connection refused' } })
  checks: Record<string, string>;
}
