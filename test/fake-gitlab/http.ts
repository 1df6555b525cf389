import type { Readable } from 'node:stream';

/** What a handler decides; the server turns it into bytes (gzip, ETag, latency, faults). */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  contentType?: string;
  stream?: { size: number; open: () => Readable };
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({ status, json: body, headers });
export const message = (status: number, text: string): Reply => json(status, { message: text });
export const error = (status: number, text: string): Reply => json(status, { error: text });

export const NOT_FOUND_ROUTE = (): Reply => error(404, '404 Not Found');
export const UNAUTHORIZED = (): Reply => message(401, '401 Unauthorized');
export const FORBIDDEN = (): Reply => message(403, '403 Forbidden');
export const PROJECT_NOT_FOUND = (): Reply => message(404, '404 Project Not Found');
export const GROUP_NOT_FOUND = (): Reply => message(404, '404 Group Not Found');
/** ActiveRecord::RecordNotFound, note the lowercase "found". */
export const RECORD_NOT_FOUND = (): Reply => message(404, '404 Not found');

/** Ruby's CGI.escape: only `a-zA-Z0-9_.-~` stay, space becomes `+`. */
export function cgiEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

/** Rails `Hash#to_query`: `key=value` pairs, escaped, sorted. */
export function toQuery(params: Record<string, string>): string {
  return Object.entries(params)
    .map(([k, v]) => `${cgiEscape(k)}=${cgiEscape(v)}`)
    .sort()
    .join('&');
}

export type ParamType = 'int' | 'string' | 'bool';
export interface ParamSpec {
  name: string;
  type: ParamType;
  values?: readonly string[];
  /** Inclusive integer range; outside it Grape says "does not have a valid value". */
  range?: [number, number];
  default?: string | number | boolean;
}
export type ParamValue = string | number | boolean | null;

const TRUE_VALUES = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_VALUES = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

/** Query keys that carry credentials; never echoed back into Link headers. */
const CREDENTIAL_PARAMS = new Set(['private_token', 'access_token', 'job_token']);

export interface Validated {
  values: Record<string, ParamValue | undefined>;
  /** Every request param after coercion plus declared defaults, as Grape's `params` holds them. */
  linkParams: Record<string, string>;
}

/** Grape-style coercion and validation; errors are joined the way Grape joins them. */
export function validateParams(query: Map<string, string>, specs: ParamSpec[], pathParams: Record<string, string>): Validated | Reply {
  const errors: string[] = [];
  const values: Record<string, ParamValue | undefined> = {};
  const linkParams: Record<string, string> = {};
  for (const [k, v] of query) if (!CREDENTIAL_PARAMS.has(k)) linkParams[k] = v;
  Object.assign(linkParams, pathParams);
  for (const spec of specs) {
    const raw = query.get(spec.name);
    if (raw === undefined) {
      if (spec.default !== undefined) {
        values[spec.name] = spec.default;
        linkParams[spec.name] = String(spec.default);
      }
      continue;
    }
    let value: ParamValue;
    if (spec.type === 'int') {
      if (raw.trim() === '') value = null;
      else if (!/^\s*[+-]?\d+\s*$/.test(raw)) {
        errors.push(`${spec.name} is invalid`);
        continue;
      } else value = parseInt(raw, 10);
      if (value !== null && spec.range && (value < spec.range[0] || value > spec.range[1])) {
        errors.push(`${spec.name} does not have a valid value`);
        continue;
      }
    } else if (spec.type === 'bool') {
      const lc = raw.toLowerCase();
      if (raw === '') value = null;
      else if (TRUE_VALUES.has(lc)) value = true;
      else if (FALSE_VALUES.has(lc)) value = false;
      else {
        errors.push(`${spec.name} is invalid`);
        continue;
      }
    } else {
      value = raw;
      if (spec.values && !spec.values.includes(raw)) {
        errors.push(`${spec.name} does not have a valid value`);
        continue;
      }
    }
    values[spec.name] = value;
    linkParams[spec.name] = value === null ? '' : String(value);
  }
  if (errors.length) return error(400, errors.join(', '));
  return { values, linkParams };
}

export function isReply(x: unknown): x is Reply {
  return typeof x === 'object' && x !== null && 'status' in x && typeof (x as Reply).status === 'number';
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Rails' Content-Disposition: an ASCII fallback plus the RFC 5987 UTF-8 form. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '?').replace(/["\\]/g, (c) => '\\' + c);
  const utf8 = encodeURIComponent(fileName).replace(/['()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}
