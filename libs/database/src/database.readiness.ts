import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ReadinessRegistry } from '@confer/telemetry';

/** Answers whether the database answers, and registers itself as the `database` check of /readyz. */
@Injectable()
export class DatabaseReadiness implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    @Optional() private readonly readiness?: ReadinessRegistry,
  ) {}

  onModuleInit(): void {
    this.readiness?.register('database', () => this.check());
  }

  async check(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
