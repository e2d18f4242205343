/**
 * The body of a Glayr subscribe request. Glayr documents `curl -d '{"api_endpoint": …}'`,
 * which sends the JSON text as `application/x-www-form-urlencoded`: the form parser turns
 * it into one key (or several, if the URL holds `&`). Those are put back together and read
 * as JSON; a real JSON body is taken as it is.
 */
export function glayrSubscribeBody(body: unknown): { api_endpoint?: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const fields = body as Record<string, unknown>;
  if ('api_endpoint' in fields) return fields;
  const entries = Object.entries(fields);
  if (entries.length === 0 || entries.some(([, value]) => typeof value !== 'string')) return fields;
  const text = entries.map(([key, value]) => (value === '' ? key : `${key}=${String(value)}`)).join('&');
  if (!text.trimStart().startsWith('{')) return fields;
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : fields;
  } catch {
    return fields;
  }
}
