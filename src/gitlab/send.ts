import { MAX_JSON_BODY, MalformedResponse, readAll, type Method, type RequestBody, type Transport } from './transport';

/**
 * JSON calls with a body (POST/PATCH) and bodiless writes (DELETE), for the endpoints in
 * BEYOND.md. Answers are parsed here; anything not 2xx is a GitLabError from the transport.
 */
export class JsonSender {
  constructor(private readonly transport: Transport) {}

  /** The parsed JSON answer, or `undefined` for an empty (204) body. */
  async send(method: Method, path: string, payload: unknown, signal?: AbortSignal, check?: (data: unknown) => void): Promise<unknown> {
    const text = payload === undefined ? undefined : JSON.stringify(payload);
    const body: RequestBody | undefined =
      text === undefined ? undefined : { open: () => text, contentType: 'application/json', length: Buffer.byteLength(text) };
    return this.transport.request({ method, path, signal, mode: 'json', body }, async (res) => {
      let raw: Buffer;
      try {
        raw = await readAll(res.body, MAX_JSON_BODY);
      } catch (err) {
        if (err instanceof RangeError) throw new MalformedResponse('the response is too large');
        throw err;
      }
      const s = raw.toString('utf8');
      let data: unknown;
      if (s.trim() !== '') {
        try {
          data = JSON.parse(s) as unknown;
        } catch {
          throw new MalformedResponse(`expected JSON, got ${String(res.headers['content-type'] ?? 'no content type').split(';')[0]}`);
        }
      }
      // Inside the handler, so a wrong shape becomes a `malformed` GitLabError with the path.
      check?.(data);
      return data;
    });
  }

  /** Like `send`, but the answer must be one JSON object. */
  async object<T>(method: Method, path: string, payload: unknown, signal?: AbortSignal): Promise<T> {
    const data = await this.send(method, path, payload, signal, (d) => {
      if (!d || typeof d !== 'object' || Array.isArray(d)) throw new MalformedResponse('expected a JSON object');
    });
    return data as T;
  }

  /** Like `send`, but the answer must be a JSON array of objects. */
  async array<T>(path: string, signal?: AbortSignal): Promise<T[]> {
    const data = await this.send('GET', path, undefined, signal, (d) => {
      if (!Array.isArray(d) || d.some((x) => !x || typeof x !== 'object' || Array.isArray(x))) {
        throw new MalformedResponse('expected a JSON array of objects');
      }
    });
    return data as T[];
  }
}
