export { RoomComposite } from './room-composite';
export type { CompositeOptions } from './composite-options';
export { defaultCompositeOptions, defaultRtpPortRange } from './composite-options';
export type { CompletedPart } from './completed-part';
export type { MediaFeed, RtpTarget, ConsumeReply } from './media-feed.port';
export { completeInterruptedPart } from './interrupted-part';
export { layoutTiles } from './layout';
export type { Tile } from './layout';
