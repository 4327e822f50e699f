import { extname, resolve, sep } from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** A file of the built renderer that a URL path names, or why it names none. */
export type RendererPath =
  { readonly path: string; readonly type: string } | { readonly status: 400 | 403; readonly reason: string };

/**
 * Resolve a URL path (still percent-encoded) to a file inside the built
 * renderer's folder, for the browser host and the desktop app's scheme alike:
 * decoded once, `/` meaning index.html; a path that does not decode, holds a
 * NUL or a backslash, or leads outside the folder (`..`, encoded or not) is refused.
 */
export function rendererPath(rendererDir: string, urlPath: string): RendererPath {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { status: 400, reason: 'the path is not valid percent-encoded UTF-8' };
  }
  if (decoded.includes('\0') || decoded.includes('\\'))
    return { status: 400, reason: 'the path holds a NUL or a backslash' };
  const root = resolve(rendererDir);
  const path = resolve(root, decoded === '/' ? 'index.html' : `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  if (!path.startsWith(root + sep)) return { status: 403, reason: "the path leads outside the renderer's folder" };
  return { path, type: types[extname(path).toLowerCase()] ?? 'application/octet-stream' };
}
