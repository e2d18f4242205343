/** The resolved BusModule options (see `ResolvedBusOptions`). */
export const BUS_OPTIONS = Symbol('confer.bus.options');

/** The connected `NatsConnection`, with the streams already set up. */
export const NATS_CONNECTION = Symbol('confer.bus.nats-connection');
