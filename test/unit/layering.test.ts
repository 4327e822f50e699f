import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function layeringErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: file });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the layering rule', () => {
  it('keeps shared/ pure', async () => {
    expect(
      await layeringErrors('shared/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"),
    ).not.toHaveLength(0);
    expect(
      await layeringErrors('shared/x.ts', "import { Client } from 'ssh2';\nexport const x = Client;\n"),
    ).not.toHaveLength(0);
    expect(
      await layeringErrors(
        'shared/x.ts',
        "import { Engine } from '../electron/engine/engine';\nexport const x = Engine;\n",
      ),
    ).not.toHaveLength(0);
    expect(
      await layeringErrors('shared/x.ts', "import { command } from './command';\nexport const x = command;\n"),
    ).toHaveLength(0);
  });

  it('keeps renderer/ behind the api', async () => {
    expect(
      await layeringErrors(
        'renderer/src/x.ts',
        "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n",
      ),
    ).not.toHaveLength(0);
    expect(
      await layeringErrors('renderer/src/x.ts', "import Docker from 'dockerode';\nexport const x = Docker;\n"),
    ).not.toHaveLength(0);
    expect(
      await layeringErrors(
        'renderer/src/x.ts',
        "import { Engine } from '../../electron/engine/engine';\nexport const x = Engine;\n",
      ),
    ).not.toHaveLength(0);
    expect(
      await layeringErrors(
        'renderer/src/x.ts',
        "import { loginOf } from '../../shared/server';\nexport const x = loginOf;\n",
      ),
    ).toHaveLength(0);
  });

  it('keeps stores below the views', async () => {
    expect(
      await layeringErrors(
        'renderer/src/stores/x.ts',
        "import { RunView } from '../runs/run-view';\nexport const x = RunView;\n",
      ),
    ).not.toHaveLength(0);
    expect(
      await layeringErrors('renderer/src/stores/x.ts', "import { api } from '../api';\nexport const x = api;\n"),
    ).toHaveLength(0);
    expect(
      await layeringErrors(
        'renderer/src/stores/x.ts',
        "import { problemOf } from '../../../shared/problem';\nexport const x = problemOf;\n",
      ),
    ).toHaveLength(0);
    expect(
      await layeringErrors('renderer/src/stores/x.ts', "import Docker from 'dockerode';\nexport const x = Docker;\n"),
    ).not.toHaveLength(0);
  });

  it('keeps raw IPC in main.ts and preload.ts', async () => {
    expect(
      await layeringErrors('electron/engine/x.ts', "import { ipcMain } from 'electron';\nexport const x = ipcMain;\n"),
    ).not.toHaveLength(0);
    expect(
      await layeringErrors('electron/main.ts', "import { ipcMain } from 'electron';\nexport const x = ipcMain;\n"),
    ).toHaveLength(0);
    expect(
      await layeringErrors(
        'electron/ipc-main.ts',
        "import type { IpcMain } from 'electron';\nexport type X = IpcMain;\n",
      ),
    ).toHaveLength(0);
  });

  it('keeps electron/ away from the UI', async () => {
    expect(
      await layeringErrors('electron/x.ts', "import { App } from '../renderer/src/app';\nexport const x = App;\n"),
    ).not.toHaveLength(0);
  });
});
