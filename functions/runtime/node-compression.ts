import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Context, MiddlewareHandler } from 'hono';
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/compress';
import { parseAccept } from 'hono/utils/accept';
import type { AppEnv } from '../http/env.js';

/** Codings this server writes, in its order of preference when a client accepts several. */
type Coding = 'br' | 'gzip';

/** Defaults chosen from the measurements in docs/performance.md ("Lever 7: compression"). */
export interface CompressionOptions {
  /**
   * Answers smaller than this many bytes go out as they are: with its headers such an answer fits
   * one TCP segment already, so compressing it saves no round trip, only CPU. Default 1,024.
   */
  threshold?: number;
  /** Brotli's quality (0-11). Default 1: 4 cost three times the CPU for ~13% fewer bytes. */
  brotliQuality?: number;
  /** gzip's level (1-9). Default 1: 6 cost two to four times the CPU for ~10-16% fewer bytes. */
  gzipLevel?: number;
}

const NO_TRANSFORM = /(?:^|,)\s*no-transform\s*(?:,|$)/i;
const VARIES_BY_ENCODING = /(?:^|,)\s*(?:accept-encoding|\*)\s*(?:,|$)/i;

/** The coding to answer in: the client's highest q of br and gzip, br on a tie; none if neither. */
export function selectCoding(acceptEncoding: string | undefined): Coding | null {
  if (!acceptEncoding) return null;
  const accepts = parseAccept(acceptEncoding);
  const q = (coding: string) =>
    accepts.find((a) => a.type.toLowerCase() === coding)?.q ??
    accepts.find((a) => a.type === '*')?.q ??
    0;
  const br = q('br');
  const gz = q('gzip');
  if (br <= 0 && gz <= 0) return null;
  return br >= gz ? 'br' : 'gzip';
}

/**
 * Hands `response` out as the answer. Through `c.res = ...` alone Hono would wrap it in one more
 * Response and copy the old answer's headers over the new ones (Content-Length, ETag included);
 * `headers` here were copied from it already, so the old answer is dropped first.
 */
function replaceAnswer(c: Context<AppEnv>, response: Response) {
  c.res = undefined;
  c.res = response;
}

function addVary(headers: Headers) {
  const vary = headers.get('Vary');
  if (!vary) headers.set('Vary', 'Accept-Encoding');
  else if (!VARIES_BY_ENCODING.test(vary)) headers.set('Vary', `${vary}, Accept-Encoding`);
}

/**
 * Compresses answers of `threshold` bytes or more with brotli or gzip, as the request's
 * `Accept-Encoding` allows (Node only: Cloudflare compresses the Worker's answers at its edge).
 *
 * Written here rather than taken from `hono/compress`, which writes gzip and deflate but not
 * brotli, applies its threshold only to answers that carry a `Content-Length` (none of the API's
 * JSON does, so `/health` went out as 35 bytes of gzip instead of 15), and pipes every body
 * through a CompressionStream. Here the body is read once (the API's answers are built whole in
 * memory), compressed by zlib in one synchronous call (at these sizes, 0.05-4 ms, zlib's thread
 * pool cost more CPU in hand-offs than it spared the event loop), and sent with its
 * `Content-Length`.
 *
 * Left as they are: bodies whose type is not text-like (the backup download, a stream of the
 * database file, is `application/vnd.sqlite3`: never buffered), `text/event-stream`, answers
 * already encoded, `Cache-Control: no-transform`, partial content. An answer that was or could
 * have been compressed says `Vary: Accept-Encoding` (one to a client that accepts neither coding
 * whatever its size, which is not read), and so does every 304. A compressed answer's strong ETag
 * becomes weak (its bytes are not the identity body's, and If-None-Match compares weakly). A HEAD
 * gets the headers its GET would, without compressing a body nobody reads.
 */
export function compression(options: CompressionOptions = {}): MiddlewareHandler<AppEnv> {
  const threshold = options.threshold ?? 1024;
  const brotliQuality = options.brotliQuality ?? 1;
  const gzipLevel = options.gzipLevel ?? 1;
  return async function compressAnswer(c, next) {
    await next();
    const res = c.res;
    if (res.status === 304) {
      addVary(res.headers);
      return;
    }
    const type = res.headers.get('Content-Type');
    const length = res.headers.get('Content-Length');
    // Nothing here reads `res.body`: on the Node adapter that turns its light answer into a
    // web Response written through a stream, for every answer, compressed or not.
    if (
      res.status === 204 ||
      res.status === 206 ||
      !type ||
      !COMPRESSIBLE_CONTENT_TYPE_REGEX.test(type) ||
      res.headers.has('Content-Encoding') ||
      NO_TRANSFORM.test(res.headers.get('Cache-Control') ?? '') ||
      (length !== null && Number(length) < threshold)
    ) {
      return;
    }
    const coding = selectCoding(c.req.header('Accept-Encoding'));
    if (!coding) {
      // Its size unread: the same answer, compressed, would have gone to another client.
      addVary(res.headers);
      return;
    }
    if (!res.body) return;
    const body = new Uint8Array(await res.arrayBuffer());
    const headers = new Headers(res.headers);
    const init = { status: res.status, statusText: res.statusText, headers };
    if (body.byteLength < threshold) {
      replaceAnswer(c, new Response(body, init));
      return;
    }
    addVary(headers);
    headers.set('Content-Encoding', coding);
    const etag = headers.get('ETag');
    if (etag && !etag.startsWith('W/')) headers.set('ETag', `W/${etag}`);
    if (c.req.method === 'HEAD') {
      headers.delete('Content-Length');
      replaceAnswer(c, new Response(null, init));
      return;
    }
    const compressed =
      coding === 'br'
        ? brotliCompressSync(body, {
            params: {
              [constants.BROTLI_PARAM_QUALITY]: brotliQuality,
              [constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
              [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            },
          })
        : gzipSync(body, { level: gzipLevel });
    headers.set('Content-Length', String(compressed.byteLength));
    replaceAnswer(c, new Response(compressed, init));
  };
}
