import {
  DynamicModule,
  Global,
  InjectionToken,
  Module,
  ModuleMetadata,
  OptionalFactoryDependency,
  Provider,
} from '@nestjs/common';
import { Announcements } from './announcements';
import { BusHealth } from './bus-health';
import { BusShutdown } from './bus-shutdown';
import { BusModuleOptions, resolveBusOptions } from './bus.options';
import { BUS_OPTIONS, NATS_CONNECTION } from './bus.tokens';
import { CommandClient } from './command-client';
import { CommandServer } from './command-server';
import { EventConsumer } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { EventPublisherPort } from './event-publisher.port';
import { natsConnectionProvider } from './nats-connection.provider';

export interface BusModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: (InjectionToken | OptionalFactoryDependency)[];
  useFactory: (...args: never[]) => BusModuleOptions | Promise<BusModuleOptions>;
}

const services: Provider[] = [
  natsConnectionProvider,
  EventPublisher,
  { provide: EventPublisherPort, useExisting: EventPublisher },
  EventConsumer,
  CommandClient,
  CommandServer,
  BusHealth,
  BusShutdown,
  Announcements,
];

const exported = [
  NATS_CONNECTION,
  BUS_OPTIONS,
  EventPublisher,
  EventPublisherPort,
  EventConsumer,
  CommandClient,
  CommandServer,
  BusHealth,
  Announcements,
];

/**
 * The NATS bus of one service. Import once, in the root module: it connects and sets up
 * the streams during start-up (failing it if NATS is unreachable) and drains on shutdown.
 */
@Global()
@Module({})
export class BusModule {
  static forRoot(options: BusModuleOptions): DynamicModule {
    return {
      module: BusModule,
      global: true,
      providers: [{ provide: BUS_OPTIONS, useValue: resolveBusOptions(options) }, ...services],
      exports: exported,
    };
  }

  static forRootAsync(options: BusModuleAsyncOptions): DynamicModule {
    return {
      module: BusModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: BUS_OPTIONS,
          inject: options.inject ?? [],
          useFactory: async (...args: never[]) => resolveBusOptions(await options.useFactory(...args)),
        },
        ...services,
      ],
      exports: exported,
    };
  }
}
