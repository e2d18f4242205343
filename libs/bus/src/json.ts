// One encoder/decoder for the whole process: allocating them per message shows in the profiles.
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** Throws SyntaxError on a body that is not JSON (including an empty one). */
export function decodeJson(data: Uint8Array): unknown {
  return JSON.parse(decoder.decode(data));
}
