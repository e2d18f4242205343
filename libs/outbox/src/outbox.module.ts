import { DynamicModule, Global, Module } from '@nestjs/common';
import { OutboxContracts } from './outbox-contracts';
import { OutboxRelay } from './outbox-relay';
import { OutboxWriter } from './outbox-writer';
import { OutboxModuleOptions, ResolvedOutboxOptions, resolveOutboxOptions } from './outbox.options';
import { OUTBOX_OPTIONS } from './outbox.tokens';

/**
 * The transactional outbox of one service: OutboxWriter queues events in the caller's
 * transaction, OutboxRelay publishes them afterwards. Import once, in the root module, next
 * to DatabaseModule (the DataSource) and BusModule (EventPublisherPort), both global.
 */
@Global()
@Module({})
export class OutboxModule {
  static forRoot(options: OutboxModuleOptions = {}): DynamicModule {
    const resolved = resolveOutboxOptions(options);
    return {
      module: OutboxModule,
      global: true,
      providers: [
        { provide: OUTBOX_OPTIONS, useValue: resolved },
        {
          provide: OutboxContracts,
          inject: [OUTBOX_OPTIONS],
          useFactory: (o: ResolvedOutboxOptions) => new OutboxContracts(o.contracts),
        },
        OutboxWriter,
        OutboxRelay,
      ],
      exports: [OutboxWriter, OutboxRelay, OUTBOX_OPTIONS],
    };
  }
}
