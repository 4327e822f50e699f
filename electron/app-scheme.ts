/**
 * The desktop app's own scheme: the built renderer is served as
 * `app://shipdeck/...` instead of `file://`, so the page has an origin of its
 * own and none of file://'s extra privileges (the fuse that grants them is
 * off), and nothing outside the renderer's folder can be asked for. Plain
 * Node and a web `Response`: main.ts only registers it, the tests run it.
 */
import { readFile } from 'node:fs/promises';
import { contentSecurityPolicy } from '../shared/content-security-policy';
import { rendererPath } from './renderer-files';

export const appScheme = 'app';
/** The renderer's origin in the desktop app. */
export const appOrigin = 'app://shipdeck';
/** The page every window opens. */
export const appEntry = `${appOrigin}/index.html`;

/**
 * Registered before ready: a standard scheme (relative URLs, an origin, web
 * storage) that counts as secure, like https; no CSP bypass, no service workers.
 */
export const appSchemePrivileges = {
  scheme: appScheme,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

/** What a request for an app:// URL comes to: a file inside the renderer's folder, or a refusal with its status. */
export type AppFile =
  | { readonly path: string; readonly type: string }
  | { readonly status: 400 | 403 | 404 | 405; readonly reason: string };

/**
 * Resolve one request to a file of the built renderer (`rendererDir`, an
 * absolute path). Only GET and HEAD of app://shipdeck/, from no page or our
 * own; the path decoded once and resolved inside the folder, so `..`, encoded
 * or not, a backslash or a NUL never reach another file.
 */
export function appFile(
  request: { readonly url: string; readonly method?: string; readonly initiatorOrigin?: string | null },
  rendererDir: string,
): AppFile {
  const method = (request.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD')
    return { status: 405, reason: `${method} is not served; the renderer's files are read-only` };
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return { status: 400, reason: 'not a URL' };
  }
  if (url.protocol !== `${appScheme}:` || url.host.toLowerCase() !== new URL(appOrigin).host)
    return { status: 404, reason: `only ${appOrigin}/ is served` };
  // A page of another origin (an opaque one included) may not read the app's files.
  if (request.initiatorOrigin !== undefined && request.initiatorOrigin !== appOrigin)
    return { status: 403, reason: `asked for by ${String(request.initiatorOrigin)}, not by Shipdeck's page` };
  return rendererPath(rendererDir, url.pathname);
}

/** The `protocol.handle` answer: the file with the policy every Shipdeck page runs under, or the refusal as plain text. */
export async function appResponse(
  request: { readonly url: string; readonly method?: string; readonly initiatorOrigin?: string | null },
  rendererDir: string,
): Promise<Response> {
  const file = appFile(request, rendererDir);
  if ('status' in file) return refusal(file.status, file.reason);
  let body: Buffer;
  try {
    body = await readFile(file.path);
  } catch {
    return refusal(404, 'no such file in the renderer');
  }
  const headers = {
    'Content-Type': file.type,
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
  return new Response(request.method?.toUpperCase() === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
}

function refusal(status: number, reason: string): Response {
  return new Response(`${status}: ${reason}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}
