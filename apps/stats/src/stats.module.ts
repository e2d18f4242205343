import { DynamicModule, Global, Module } from '@nestjs/common';
import { BusModule } from '@confer/bus';
import { DatabaseModule } from '@confer/database';
import { HttpLifecycleModule } from '@confer/http';
import { OutboxModule } from '@confer/outbox';
import { TelemetryModule } from '@confer/telemetry';
import { ServerApiAccessModule } from '@confer/auth-client';
import { issuerOf, STATS_CONFIG, StatsConfig } from './config/stats.config';
import { statsDatabaseOptions } from './database/stats-database';
import { AttendanceStore } from './ingestion/attendance-store';
import { IngestAttendance } from './ingestion/ingest-attendance.service';
import { StatsMetrics } from './ingestion/stats.metrics';
import { PeerStatistics } from './statistics/peer-statistics.service';
import { StatisticsAccessGuard } from './statistics/statistics-access.guard';
import { StatisticsHttpController } from './statistics/statistics.http.controller';
import { OrganisationUsage } from './usage/usage.service';
import { UsageHttpController } from './usage/usage.http.controller';
import { RoomBuckets } from './buckets/room-buckets.service';
import { ProcessedEventsPruner } from './retention/processed-events-pruner';
import { RoomBucketsHttpController } from './buckets/room-buckets.http.controller';

const httpControllers = [StatisticsHttpController, UsageHttpController, RoomBucketsHttpController];
const messageHandlers = [IngestAttendance];
const queries = [PeerStatistics, OrganisationUsage, RoomBuckets];
const domain = [AttendanceStore, StatsMetrics, StatisticsAccessGuard];
const housekeeping = [ProcessedEventsPruner];

/** Configuration and server-API access control, available to every module of the service. */
@Global()
@Module({})
class StatsCoreModule {
  static forConfig(config: StatsConfig): DynamicModule {
    return {
      module: StatsCoreModule,
      providers: [{ provide: STATS_CONFIG, useValue: config }],
      exports: [STATS_CONFIG],
    };
  }
}

/** The stats service: attendance sessions and 30-second buckets from call events, and their queries. */
@Module({})
export class StatsModule {
  static forConfig(config: StatsConfig): DynamicModule {
    return {
      module: StatsModule,
      imports: [
        StatsCoreModule.forConfig(config),
        TelemetryModule,
        HttpLifecycleModule,
        DatabaseModule.forRoot(statsDatabaseOptions(config.DATABASE_URL, config.STATS_DB_SCHEMA)),
        BusModule.forRoot({ service: 'stats', url: config.NATS_URL }),
        ServerApiAccessModule.forRoot({
          jwksUrl: config.AUTH_JWKS_URL,
          issuer: issuerOf(config),
          defaultRateLimit: config.DEFAULT_RATE_LIMIT_PER_SECOND,
        }),
        OutboxModule.forRoot(),
      ],
      controllers: httpControllers,
      providers: [...messageHandlers, ...queries, ...domain, ...housekeeping],
    };
  }
}
