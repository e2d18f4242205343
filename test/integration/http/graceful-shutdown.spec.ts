import { OnApplicationShutdown, Controller, Get, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { configureHttpApp, HttpLifecycleModule } from '@confer/http';

/** Stands for the database pool: it must close only after requests in flight are answered. */
@Injectable()
class FakeDatabaseLifetime implements OnApplicationShutdown {
  open = true;
  // The phase in which TypeORM destroys its pool and the bus drains.
  onApplicationShutdown(): void {
    this.open = false;
  }
}

@Controller()
class SlowController {
  constructor(private readonly db: FakeDatabaseLifetime) {}

  @Get('slow')
  async slow(): Promise<{ databaseOpenAtEnd: boolean }> {
    await new Promise((r) => setTimeout(r, 300));
    return { databaseOpenAtEnd: this.db.open };
  }
}

@Module({ imports: [HttpLifecycleModule], controllers: [SlowController], providers: [FakeDatabaseLifetime] })
class SlowAppModule {}

describe('shutting down an HTTP service', () => {
  it('answers the requests in flight before closing what they use, and refuses new connections', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [SlowAppModule] }).compile();
    const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
    configureHttpApp(app, { title: 't', description: 't', version: 't' });
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };

    const inFlight = fetch(`http://127.0.0.1:${port}/slow`);
    await new Promise((r) => setTimeout(r, 50));
    const closing = app.close();

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ databaseOpenAtEnd: true });
    await closing;
    await expect(fetch(`http://127.0.0.1:${port}/slow`)).rejects.toThrow();
  });
});
