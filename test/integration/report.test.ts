import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../shared/contract';
import { escapeHtml } from '../../shared/report-html';
import { chromiumPrinter } from '../../electron/engine/report/chromium-printer';
import { Engine } from '../../electron/engine/engine';
import { fileLog } from '../../electron/engine/log';
import { confSettingsStore } from '../../electron/engine/settings-store';
import { keyFileCipher } from '../../electron/engine/vault';
import { restoreLabHosts } from '../support/lab-cleanup';
import { lab } from '../support/lab-servers';
import { freePortPair } from '../support/ports';
import { ending, startRelease, value, verifySpec } from '../support/verify-lab';

const hosts = lab().hosts.slice(0, 2);
let port: number;
beforeAll(async () => {
  port = await freePortPair();
});
afterAll(() => restoreLabHosts(hosts));

type Exported = ResponseOf<'exportRunReport'>;

describe('the run report of a lab run', () => {
  it('holds every command with its exit code and every decision card, as Markdown, HTML and PDF', async () => {
    // v2-slow answers 500 ms later: VERIFY fails it on latency and Shipdeck rolls it back by itself.
    const { engine, call, runId } = await startRelease(
      hosts,
      verifySpec(hosts, port, '{ duration: 20s, rate: 20, samples: 50 }'),
      'v2-slow',
      { printReport: chromiumPrinter() },
    );
    try {
      const run = await ending(call, runId, ['rolled-back']);
      const cards = run.verification?.judgement?.cards ?? [];
      expect(cards.length).toBeGreaterThan(3);
      expect(run.steps.length).toBeGreaterThan(10);
      expect(run.steps.some((s) => s.phase === 'ROLLBACK')).toBe(true);

      const md = await value<Exported>(call, 'exportRunReport', { runId, format: 'markdown' });
      expect(md).toMatchObject({
        mimeType: 'text/markdown;charset=utf-8',
        fileName: expect.stringMatching(/^shipdeck-report-web-v2-slow-staging-.*\.md$/),
      });
      const markdown = md.text!;
      for (const step of run.steps) {
        // The exact line in the code block, under its number, host and exit code.
        const exit = step.exitCode === undefined ? '—' : step.exitCode === null ? 'signal' : String(step.exitCode);
        expect(markdown, step.id).toContain(`· ${step.host} · exit ${exit}\n${step.line}\n`);
      }
      for (const card of cards) {
        expect(markdown).toContain(`#### ${card.metric}: `);
        expect(markdown).toContain(card.reason.replace(/[\\`*_[\]<>|#~]/g, (c) => `\\${c}`));
      }
      expect(markdown).toContain('## Rollback');
      expect(markdown).toContain("Shipdeck, by itself: VERIFY's rules said roll back");
      for (const host of hosts) expect(markdown).toContain(`| ${host.name} | v2-slow | v1 | Back on v1 |`);

      const page = (await value<Exported>(call, 'exportRunReport', { runId, format: 'html' })).text!;
      for (const step of run.steps) {
        expect(page, step.id).toContain(`<code class="line">${escapeHtml(step.line)}</code>`);
        const exit = step.exitCode === undefined ? '—' : step.exitCode === null ? 'signal' : String(step.exitCode);
        expect(page, step.id).toMatch(
          new RegExp(
            `<code class="line">${escapeRegExp(escapeHtml(step.line))}</code>[^]*?</td><td><span class="state state-${step.state}">${step.state}</span></td><td class="num">${exit}</td>`,
          ),
        );
      }
      for (const card of cards) {
        expect(page).toContain(`<span>${escapeHtml(card.metric)}</span>`);
        expect(page).toContain(escapeHtml(card.reason));
      }
      expect(page).toContain('id="chart-latency-ecdf"');
      expect(page).toContain('id="rollback"');

      const pdf = await value<Exported>(call, 'exportRunReport', { runId, format: 'pdf' });
      expect(pdf).toMatchObject({ mimeType: 'application/pdf', fileName: expect.stringMatching(/\.pdf$/) });
      const bytes = Buffer.from(pdf.base64!, 'base64');
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const file = join(mkdtempSync(join(tmpdir(), 'shipdeck-report-test-')), 'report.pdf');
      writeFileSync(file, bytes);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain('web v2-slow');
      expect(text).toContain('staging');
      expect(text).toContain('docker run --detach --name web-v2-slow-');
      expect(text).toContain('latency shift');
      expect(text).toMatch(/Page 1 of \d+/);
    } finally {
      engine.close();
    }
  }, 120_000);

  it('names a run it does not know, and a format it cannot make', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shipdeck-report-'));
    const engine = new Engine({
      store: confSettingsStore(dataDir),
      log: fileLog(dataDir),
      dataDir,
      host: 'browser',
      version: 'test',
      cipher: keyFileCipher(dataDir),
    });
    try {
      const missing = await engine.handle('exportRunReport', { runId: 'no-such-run', format: 'markdown' });
      expect(missing).toMatchObject({ ok: false, problem: { code: 'not-found' } });
      const bad = await engine.handle('exportRunReport', { runId: 'x', format: 'docx' });
      expect(bad).toMatchObject({ ok: false, problem: { code: 'bad-request', where: 'format' } });
    } finally {
      engine.close();
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
