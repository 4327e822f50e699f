import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// electron-builder.yml as `npm run dist` reads it, against the option names electron-builder itself accepts.
const root = new URL('../../', import.meta.url);
const config = parse(readFileSync(new URL('electron-builder.yml', root), 'utf8')) as {
  electronFuses?: Record<string, boolean>;
};
const schema = JSON.parse(readFileSync(new URL('node_modules/app-builder-lib/scheme.json', root), 'utf8')) as {
  definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
};

describe('the packaged binary', () => {
  it("flips every fuse Electron's security guide recommends, file:// privileges included", () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('names each fuse as electron-builder spells it (a misspelt one would be ignored)', () => {
    const known = Object.keys(schema.definitions.FuseOptionsV1.properties);
    for (const fuse of Object.keys(config.electronFuses ?? {})) expect(known, fuse).toContain(fuse);
  });
});
