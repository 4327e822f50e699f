import { readFile } from 'node:fs/promises';
import { rendererPath } from '../renderer-files';

/** A file of the built renderer; `undefined` where there is none, `'bad-path'` for a path that does not decode. Never anything outside its folder. */
export async function staticFile(
  root: string,
  urlPath: string,
): Promise<{ body: Buffer; type: string } | 'bad-path' | undefined> {
  const file = rendererPath(root, urlPath.split('?')[0] ?? '/');
  if ('status' in file) return file.status === 400 ? 'bad-path' : undefined;
  try {
    return { body: await readFile(file.path), type: file.type };
  } catch {
    return undefined;
  }
}
