/**
 * Hostile parts of an HTTP request (path segments, query values, headers) and a client that sends
 * them exactly as written: `fetch` would normalise `/.//x` or `\` away, node:http does not.
 */
import http from 'node:http';

/** Path segments as they go on the wire (already percent-encoded where needed). */
export const HOSTILE_SEGMENTS: readonly string[] = [
  '%ZZ',
  '%00',
  '%C0%AF',
  '..%2F..%2Fetc%2Fpasswd',
  'x'.repeat(5000),
  'constructor',
  '__proto__',
  'toString',
  encodeURIComponent('土地码😀'),
  '',
  '%',
  '%E0%A4%A',
  '%ED%A0%80',
  '..',
  '%2e%2e',
  'hasOwnProperty',
  '%20',
  '%0A%0D',
  '%7F',
  '-1',
  '1e309',
  'NaN',
];

/** Query values, already encoded for the wire. */
export const HOSTILE_VALUES: readonly string[] = [
  '%00',
  'constructor',
  '__proto__',
  '[object%20Object]',
  'NaN',
  '-1',
  '1e309',
  '%ZZ',
  'a%00b',
  '%C0%AF',
  '%0A',
  'toString',
  '',
  '99999999999999999999999',
  '-0',
  'x'.repeat(3000),
  encodeURIComponent('土地码😀'),
  '..%2F..%2F',
];

/** Whole query strings that break a parameter's shape rather than its value: repeated, bracketed, prototype keys. */
export const hostileQueryShapes = (name: string): string[] => [
  `${name}=1&${name}=2`,
  `${name}[]=1`,
  `${name}[a]=1`,
  `${name}[__proto__]=1`,
  `${name}`,
  `${name}=`,
  '__proto__=1',
  'constructor=1',
  'constructor[prototype][x]=1',
  '[object%20Object]=1',
  `${name}=1&${name}=${'y'.repeat(10)}&${name}=%00`,
];

/** Headers worth a try on every route; each entry is one request's extra headers. */
export const HOSTILE_HEADERS: readonly Record<string, string>[] = [
  { 'content-type': 'application/json; charset=utf-7' },
  { 'content-type': 'application/json; charset=zzz' },
  { 'content-type': 'application/json; charset' },
  { 'content-type': ';;;' },
  { 'content-type': 'multipart/form-data; boundary=' },
  { 'content-type': 'application/x-www-form-urlencoded' },
  { 'content-type': 'text/csv' },
  { 'content-type': 'application/cap+xml' },
  { 'content-type': 'application/geo+json; charset=latin1' },
  { 'content-encoding': 'gzip' },
  { 'content-encoding': 'zz' },
  { 'accept-encoding': 'br;q=abc, *;q=2, gzip;q=-1' },
  { 'accept-encoding': 'x'.repeat(4000) },
  { accept: '*/*;q=x, text/html;level=%ZZ' },
  { origin: 'null' },
  { origin: 'http://evil.example' },
  { origin: 'not a url' },
  { host: 'evil.example' },
  { host: '[::1' },
  { host: `${'h'.repeat(300)}.example:99999` },
  { authorization: 'Bearer ' },
  { authorization: 'Bearer a b c' },
  { authorization: 'Bearer \u00ff\u00fe' },
  { authorization: `Bearer ${'x'.repeat(8000)}` },
  { authorization: 'Basic Zm9vOmJhcg==' },
  { cookie: 'citybrain_token=%ZZ' },
  { cookie: 'citybrain_token=%00' },
  { 'if-none-match': '"%00", W/' },
  { range: 'bytes=abc-' },
];

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as UTF-8 text. */
  body: string;
  bytes: Buffer;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** Sends `method path` to `base` exactly as written, with `headers` (Host included) and an optional body. */
export function rawRequest(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, method, path, headers: { ...(body !== undefined && { 'content-length': String(Buffer.byteLength(body)) }), ...headers }, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Closes the kept-alive sockets (end of a test file). */
export const closeRawClient = (): void => agent.destroy();
