import { Body, Controller, Get, HttpCode, Module, Param, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { ApiErrors, configureHttpApp, defineErrors } from '@confer/http';
import {
  getMeter,
  JsonLogger,
  LogSink,
  ReadinessRegistry,
  shutdownTelemetry,
  startTelemetry,
  TelemetryModule,
} from '@confer/telemetry';

const RoomErrors = defineErrors({
  ROOM_NOT_FOUND: { status: 404, message: 'Room not found' },
  ROOM_FULL: { status: 409, message: 'The room is full' },
});

class CreateRoomDto {
  @IsString()
  name: string;

  @IsOptional()
  @IsInt()
  @Min(2)
  @Max(100)
  capacity?: number;
}

class TokenRequestDto {
  @IsString()
  grant_type: string;

  @IsString()
  code: string;
}

@ApiTags('rooms')
@Controller()
class RoomsController {
  private readonly created = getMeter('rooms').createCounter('rooms_created', {
    description: 'Rooms created',
  });

  @Post('rooms')
  @ApiErrors(400, RoomErrors.roomFull)
  create(@Body() body: CreateRoomDto): { name: string; capacity: number; isDto: boolean } {
    if (body.capacity === 99) throw RoomErrors.roomFull({ capacity: 99 });
    this.created.add(1);
    return { name: body.name, capacity: body.capacity ?? 10, isDto: body instanceof CreateRoomDto };
  }

  @Get('rooms/:id')
  @ApiErrors(RoomErrors.roomNotFound)
  find(@Param('id') id: string): never {
    throw RoomErrors.roomNotFound({ roomId: id });
  }

  @Post('token')
  @HttpCode(200)
  @ApiErrors(400, 401)
  token(@Body() body: TokenRequestDto): { grantType: string } {
    return { grantType: body.grant_type };
  }

  @Get('boom')
  boom(): never {
    throw new Error('relation "secrets" does not exist');
  }
}

@Module({ imports: [TelemetryModule], controllers: [RoomsController] })
class TestAppModule {}

class CapturedLogs implements LogSink {
  private readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  records(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

describe('an HTTP service configured by @confer/http', () => {
  let app: NestExpressApplication;
  let base: string;
  let databaseUp = true;
  const logs = new CapturedLogs();

  beforeAll(async () => {
    startTelemetry({ serviceName: 'http-integration', env: {} });
    const moduleRef = await Test.createTestingModule({ imports: [TestAppModule] }).compile();
    app = moduleRef.createNestApplication<NestExpressApplication>({ bufferLogs: true });
    app.useLogger(new JsonLogger({ service: 'http-integration', stdout: logs, stderr: logs }));
    configureHttpApp(app, {
      title: 'Rooms',
      description: 'Test service',
      version: '1.0.0',
      bodyLimit: '2kb',
    });
    app.get(ReadinessRegistry).register('database', async () => {
      if (!databaseUp) throw new Error('connection refused');
    });
    app.get(ReadinessRegistry).register('nats', async () => undefined);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    base = `http://127.0.0.1:${address.port}`;
  });

  afterAll(async () => {
    await app.close();
    await shutdownTelemetry();
  });

  const post = (path: string, body: string, contentType = 'application/json') =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });

  async function expectError(
    response: Response,
    status: number,
    code: string,
  ): Promise<{ message: string; details?: unknown }> {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/json');
    const body = (await response.json()) as { error: { code: string; message: string; details?: unknown } };
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe('string');
    return body.error;
  }

  it('accepts a valid DTO and hands the handler a DTO instance', async () => {
    const response = await post('/rooms', JSON.stringify({ name: 'standup', capacity: 5 }));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ name: 'standup', capacity: 5, isDto: true });
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const error = await expectError(await post('/rooms', '{"name": '), 400, 'invalid_json');
    expect(error.message).toBe('The request body is not valid JSON');
  });

  it('answers a DTO violation with 400 invalid_request naming the field', async () => {
    const error = await expectError(
      await post('/rooms', JSON.stringify({ name: 7 })),
      400,
      'invalid_request',
    );
    expect(error.message).toBe('body.name must be a string');
    expect(error.details).toEqual([{ field: 'name', problems: ['name must be a string'] }]);
  });

  it('rejects properties the DTO does not declare', async () => {
    const error = await expectError(
      await post('/rooms', JSON.stringify({ name: 'x', owner: 'mallory' })),
      400,
      'invalid_request',
    );
    expect(error.details).toEqual([{ field: 'owner', problems: ['property owner should not exist'] }]);
  });

  it('answers an oversized body with 413 payload_too_large', async () => {
    await expectError(
      await post('/rooms', JSON.stringify({ name: 'x'.repeat(4096) })),
      413,
      'payload_too_large',
    );
  });

  it('parses urlencoded bodies, as OAuth token requests use', async () => {
    const response = await post(
      '/token',
      'grant_type=authorization_code&code=abc',
      'application/x-www-form-urlencoded',
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ grantType: 'authorization_code' });
    await expectError(
      await post('/token', 'grant_type=authorization_code', 'application/x-www-form-urlencoded'),
      400,
      'invalid_request',
    );
  });

  it('answers an unknown route with 404 not_found JSON', async () => {
    const error = await expectError(await fetch(`${base}/nowhere`), 404, 'not_found');
    expect(error.message).toBe('Cannot GET /nowhere');
  });

  it('answers an AppError with its status, code and details', async () => {
    const error = await expectError(await fetch(`${base}/rooms/r-42`), 404, 'room_not_found');
    expect(error).toEqual({ code: 'room_not_found', message: 'Room not found', details: { roomId: 'r-42' } });
    await expectError(await post('/rooms', JSON.stringify({ name: 'x', capacity: 99 })), 409, 'room_full');
  });

  it('hides unexpected errors behind 500 internal, logging them with their stack', async () => {
    const error = await expectError(await fetch(`${base}/boom`), 500, 'internal');
    expect(error).toEqual({ code: 'internal', message: 'Internal server error' });
    const logged = logs.records().find((line) => line.context === 'HttpErrorFilter');
    expect(logged).toMatchObject({
      level: 'error',
      method: 'GET',
      path: '/boom',
      status: 500,
      error: { name: 'Error', message: 'relation "secrets" does not exist' },
      stack: expect.stringContaining('RoomsController.boom'),
    });
  });

  it('serves the OpenAPI document listing the routes and their error responses', async () => {
    const response = await fetch(`${base}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      info: { title: string; version: string };
      paths: Record<
        string,
        Record<
          string,
          {
            responses: Record<
              string,
              { description: string; content?: Record<string, { schema: { $ref: string } }> }
            >;
          }
        >
      >;
      components: {
        schemas: Record<string, unknown>;
        securitySchemes: Record<string, { type: string; scheme: string }>;
      };
    };
    expect(document.info).toMatchObject({ title: 'Rooms', version: '1.0.0' });
    const errorRef = '#/components/schemas/ApiErrorResponse';
    const createResponses = document.paths['/rooms'].post.responses;
    expect(createResponses['400'].content?.['application/json'].schema.$ref).toBe(errorRef);
    expect(createResponses['409'].description).toContain('room_full');
    expect(document.paths['/rooms/{id}'].get.responses['404'].content?.['application/json'].schema.$ref).toBe(
      errorRef,
    );
    expect(Object.keys(document.paths['/token'].post.responses)).toEqual(
      expect.arrayContaining(['400', '401']),
    );
    expect(document.components.schemas.ApiErrorResponse).toMatchObject({
      properties: { error: { $ref: '#/components/schemas/ApiErrorBody' } },
    });
    expect(document.components.schemas.ApiErrorBody).toMatchObject({
      required: expect.arrayContaining(['code', 'message']),
    });
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.components.securitySchemes.basic).toMatchObject({ type: 'http', scheme: 'basic' });
    // The operational endpoints are documented too.
    const readyz = document.paths['/readyz'].get.responses;
    expect(Object.keys(readyz)).toEqual(expect.arrayContaining(['200', '503']));
    expect(Object.keys(document.paths['/healthz'].get.responses)).toContain('200');
    expect(Object.keys(document.paths['/metrics'].get.responses)).toContain('200');
  });

  it('answers /healthz with 200 ok', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 when every check passes and 503 naming the failing one', async () => {
    databaseUp = true;
    let response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { database: 'ok', nats: 'ok' } });

    databaseUp = false;
    response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'not_ready',
      checks: { database: 'connection refused', nats: 'ok' },
    });
    databaseUp = true;
  });

  it('serves Prometheus text on /metrics including metrics recorded through getMeter', async () => {
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('# TYPE rooms_created_total counter');
    expect(text).toMatch(/rooms_created_total\{[^}]*\} 1/);
  });
});
