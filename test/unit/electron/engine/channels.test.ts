import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { channelNames, type Channel } from '../../../../shared/contract';
import { joinChannels, type Handlers } from '../../../../electron/engine/channels';
import { Engine } from '../../../../electron/engine/engine';
import { fileLog } from '../../../../electron/engine/log';
import { confSettingsStore } from '../../../../electron/engine/settings-store';
import { keyFileCipher } from '../../../../electron/engine/vault';

/** A map serving the given channels, each answering with its own name. */
function mapOf(channels: readonly Channel[]): Partial<Handlers> {
  return Object.fromEntries(channels.map((c) => [c, async () => c]));
}

describe("joining the features' channel maps", () => {
  it('serves each channel with the handler of the one feature that has it', async () => {
    const joined = joinChannels(mapOf(channelNames.slice(0, 10)), mapOf(channelNames.slice(10))) as Handlers;
    expect(Object.keys(joined).sort()).toEqual([...channelNames].sort());
    expect(await joined.listAudit({ limit: 1 }, { owner: 'default' })).toBe('listAudit');
  });

  it('refuses a channel two features claim, a channel no feature serves, and a name that is no channel', () => {
    expect(() => joinChannels(mapOf(channelNames), mapOf(['listRuns']))).toThrow(
      'The channel listRuns is served by two features',
    );
    expect(() => joinChannels(mapOf(channelNames.filter((c) => c !== 'getRun' && c !== 'openLog')))).toThrow(
      'No feature serves getRun, openLog',
    );
    expect(() =>
      joinChannels(mapOf(channelNames), { deleteEverything: async () => undefined } as Partial<Handlers>),
    ).toThrow('Not channels of the contract: deleteEverything');
  });

  it('an engine is built with every channel of the contract served once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-channels-'));
    const engine = new Engine({
      store: confSettingsStore(dataDir),
      log: fileLog(dataDir),
      dataDir,
      host: 'browser',
      version: '0.0.0-test',
      cipher: keyFileCipher(dataDir),
    });
    try {
      expect(await engine.handle('getAppInfo', {})).toMatchObject({
        ok: true,
        value: { name: 'Shipdeck', version: '0.0.0-test' },
      });
    } finally {
      engine.close();
    }
  });
});
