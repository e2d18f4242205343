import {
  BRIDGE_CHANNEL,
  BridgeEvent,
  BridgeMethod,
  isEventMessage,
  isMethodResult,
  originOf,
} from './bridge-protocol';

export interface BridgeOptions {
  /** The iframe showing the room page. */
  element: HTMLIFrameElement;
  roomId: string;
}

export interface MethodOptions {
  name: BridgeMethod;
  data?: unknown;
  /** Called with the method's result (for is…Enabled, getScreenshotByPeerId, …). */
  callback?: (result: unknown) => unknown;
}

/**
 * The Client API integrators load beside their iframe:
 *
 *   const bridge = new MeetIframeBridge.default({ element: iframe, roomId: 'serv1m6oci9e8' });
 *   bridge.method({ name: 'enableMic', callback: (result) => … });
 *   bridge.on('newPeer', ({ peerId, displayName }) => …);
 *
 * Calls go to the iframe's own origin only, and only messages from that origin and
 * that iframe's window are read.
 */
export default class MeetIframeBridge {
  readonly #frame: HTMLIFrameElement;
  readonly #roomId: string;
  readonly #origin: string;
  readonly #listeners = new Map<string, Set<(data: unknown) => void>>();
  readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  #nextId = 1;
  readonly #onMessage = (event: MessageEvent) => this.#receive(event);

  constructor({ element, roomId }: BridgeOptions) {
    if (!element || element.tagName !== 'IFRAME') throw new Error('element must be the room iframe');
    if (!roomId) throw new Error('roomId is required');
    const origin = originOf(element.src, document.baseURI);
    if (!origin) throw new Error('the iframe has no room URL yet');
    this.#frame = element;
    this.#roomId = roomId;
    this.#origin = origin;
    window.addEventListener('message', this.#onMessage);
  }

  /** Calls a method in the room; resolves with its result (and calls `callback` with it). */
  method({ name, data, callback }: MethodOptions): Promise<unknown> {
    const callId = this.#nextId++;
    const target = this.#frame.contentWindow;
    const result = new Promise<unknown>((resolve, reject) => {
      if (!target) return reject(new Error('the iframe is not loaded'));
      this.#pending.set(callId, { resolve, reject });
      target.postMessage(
        { channel: BRIDGE_CHANNEL, kind: 'method', roomId: this.#roomId, callId, name, data },
        this.#origin,
      );
    });
    if (callback) void result.then(callback, () => undefined);
    return result;
  }

  on(event: BridgeEvent, listener: (data: unknown) => void): this {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  off(event: BridgeEvent, listener: (data: unknown) => void): this {
    this.#listeners.get(event)?.delete(listener);
    return this;
  }

  destroy(): void {
    window.removeEventListener('message', this.#onMessage);
    for (const { reject } of this.#pending.values()) reject(new Error('the bridge was destroyed'));
    this.#pending.clear();
    this.#listeners.clear();
  }

  #receive(event: MessageEvent): void {
    if (event.origin !== this.#origin || event.source !== this.#frame.contentWindow) return;
    const message = event.data as { roomId?: unknown };
    if (message?.roomId !== this.#roomId) return;
    if (isMethodResult(message)) {
      const pending = this.#pending.get(message.callId);
      if (!pending) return;
      this.#pending.delete(message.callId);
      if (message.ok) pending.resolve(message.result);
      else pending.reject(new Error(message.error ?? 'the room refused'));
    } else if (isEventMessage(message)) {
      for (const listener of this.#listeners.get(message.name) ?? [])
        try {
          listener(message.data);
        } catch (error) {
          console.error(`a listener of ${message.name} failed`, error);
        }
    }
  }
}
