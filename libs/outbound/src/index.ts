export { OutboundGuard } from './outbound-guard';
