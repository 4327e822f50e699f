import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../shared/run';
import { runReport } from '../../../shared/report';
import { escapeHtml, reportHtml } from '../../../shared/report-html';
import { escapeMarkdown, markdownCell, reportMarkdown } from '../../../shared/report-markdown';
import { reportCss, reportStyleSource } from '../../../shared/report-style';
import type { DecisionCard, Sample } from '../../../shared/verify';
import { contentSecurityPolicy } from '../../../shared/content-security-policy';
import { reportFile, reportFileName } from '../../../electron/engine/report/report-file';
import { redactionOf } from '../../../shared/redaction';

const t = (s: number) => new Date(Date.UTC(2025, 5, 2, 10, 0, 0) + s * 1000).toISOString();
const shift: DecisionCard = {
  metric: 'latency shift',
  verdict: 'fail',
  action: 'rollback',
  reason: 'Answers are +502 ms slower than the baseline <b>bold</b> | piped',
  baseline: 'median 3.5 ms',
  candidate: 'median 505 ms',
  test: 'Mann-Whitney U, Hodges-Lehmann shift',
  pValue: 1.2e-23,
  interval: { low: 501.2, high: 502.2, level: 0.95, unit: 'ms' },
  threshold: 'slower by over 10%',
  samples: { baseline: 78, candidate: 58, needed: 50 },
};
const health: DecisionCard = {
  metric: 'health',
  verdict: 'pass',
  action: 'none',
  reason: '18 of 18 health checks passed',
  candidate: '18/18 ok',
  threshold: '3 failed checks in a row roll back',
  samples: { baseline: 0, candidate: 18, needed: 3 },
};

/** A rolled-back run, with something in every section, and values that would break Markdown or HTML if left raw. */
const record = {
  id: '2025-06-02T10-00-00-000Z-web-v2',
  service: 'web',
  environment: 'staging',
  version: 'v2',
  notes: 'ship it <script>alert(1)</script> | now',
  who: 'ann@laptop',
  startedBy: 'Ann',
  startedAt: t(0),
  endedAt: t(40),
  status: 'rolled-back',
  phases: [
    { phase: 'PREPARE', state: 'done', startedAt: t(0), endedAt: t(5) },
    { phase: 'DEPLOY', state: 'done', startedAt: t(10), endedAt: t(20) },
    { phase: 'VERIFY', state: 'failed', startedAt: t(20), endedAt: t(30) },
    { phase: 'ROLLBACK', state: 'done', startedAt: t(30), endedAt: t(31) },
  ],
  steps: [
    {
      id: 's1',
      phase: 'DEPLOY',
      host: 'lab-1',
      purpose: 'Start web v2',
      line: "docker run --env 'A=x|y' --name web-v2 shop/web:v2 `date`",
      state: 'ok',
      exitCode: 0,
      durationMs: 150,
      output: [{ stream: 'stdout', text: 'abc\n' }],
    },
    {
      id: 's2',
      phase: 'DEPLOY',
      host: 'lab-1',
      purpose: 'Wait until v2 answers /up',
      line: 'GET http://127.0.0.1:3001/up until 200',
      state: 'ok',
      durationMs: 4,
      detail: 'healthy after 1 try',
      output: [],
    },
    {
      id: 's3',
      phase: 'DEPLOY',
      host: 'lab-2',
      purpose: 'Reload nginx <graceful>',
      line: 'sh -c "nginx -s reload" && echo ***',
      state: 'failed',
      exitCode: 1,
      durationMs: 9,
      output: [{ stream: 'stderr', text: 'nginx: [emerg] bad <config>\n' }],
    },
    {
      id: 's4',
      phase: 'ROLLBACK',
      host: 'lab-1',
      purpose: 'Send traffic back to v1',
      line: 'write /etc/nginx/up.conf: server 127.0.0.1:3000;',
      state: 'ok',
      durationMs: 2,
      output: [],
    },
    {
      id: 's5',
      phase: 'ROLLBACK',
      host: 'lab-2',
      purpose: 'Send traffic back to v1',
      line: 'write /etc/nginx/up.conf: server 127.0.0.1:3000;',
      state: 'ok',
      durationMs: 3,
      output: [],
    },
  ],
  hosts: [
    { server: 'lab-1', previous: 'v1', next: 'v2', port: 3001, switched: false },
    { server: 'lab-2', previous: 'v1', next: 'v2', port: 3001, switched: false },
  ],
  problem: { code: 'verify-failed', message: 'Rolled back by Shipdeck: Answers are +502 ms slower', where: 'VERIFY' },
  spec: {} as RunRecord['spec'],
  verification: {
    comparison: 'concurrent',
    thresholds: {} as never,
    state: 'decided',
    baselineSamples: 78,
    candidateSamples: 58,
    needed: 50,
    judgement: {
      at: Date.parse(t(29)),
      comparison: 'concurrent',
      cards: [health, shift],
      decision: 'rollback',
      reason: 'Answers are +502 ms slower',
    },
    acted: 'rolled-back',
  },
  change: { class: 'medium', impact: 'shop checkout', ci: 'run #42' },
  discipline: { class: 'medium', classified: true, checklist: 'full', approval: false, staging: false },
  checklist: {
    templateVersion: 'shipdeck-checklists-1',
    items: [
      {
        id: 'verify.health',
        section: 'post-deployment',
        phase: 'VERIFY',
        text: 'All health checks passing',
        kind: 'auto',
        required: true,
        state: 'done',
        evidence: 'lab-1 answers /up | 200',
        by: 'Shipdeck',
        at: t(21),
      },
      {
        id: 'pre.review',
        section: 'pre-deployment',
        phase: 'PREPARE',
        text: 'Code reviewed and approved',
        kind: 'manual',
        required: true,
        state: 'done',
        by: 'Ben',
        at: t(3),
        note: 'PR #7 reviewed',
      },
      {
        id: 'pre.env',
        section: 'pre-deployment',
        phase: 'PREPARE',
        text: 'Environment variables verified',
        kind: 'manual',
        required: true,
        state: 'waived',
        by: 'Ben',
        at: t(4),
        reason: 'no env change',
      },
      {
        id: 'pre.qa',
        section: 'pre-deployment',
        phase: 'PREPARE',
        text: 'QA sign-off received',
        kind: 'manual',
        required: false,
        state: 'open',
      },
    ],
  },
  gates: [
    {
      key: 'freeze',
      gate: 'freeze',
      phase: 'PREPARE',
      at: t(1),
      detail: 'Friday freeze',
      override: { by: 'Ann', at: t(2), reason: 'hotfix for checkout' },
    },
  ],
  approvals: [{ by: 'Cleo', at: t(6), decision: 'approve', note: 'looks fine' }],
  signOff: { by: 'Ann', at: t(50), note: 'rolled back cleanly' },
} as unknown as RunRecord;

const http = (role: 'baseline' | 'candidate', s: number, ms: number, status = 200): Sample => ({
  kind: 'http',
  t: Date.parse(t(s)),
  host: 'lab-1',
  role,
  path: '/',
  status,
  ms,
});
const samples = {
  prepared: [] as Sample[],
  baseline: [http('baseline', 20, 3), http('baseline', 21, 4), http('baseline', 22, 3.5, 500)],
  candidate: [
    http('candidate', 20, 500),
    http('candidate', 21, 505),
    http('candidate', 22, 510),
    {
      kind: 'container',
      t: Date.parse(t(21)),
      host: 'lab-1',
      role: 'candidate',
      cpuPercent: 3.4,
      memoryBytes: 4_300_000,
      restarts: 0,
      errorLines: 0,
    } as Sample,
  ],
};

describe('runReport', () => {
  const report = runReport(record, samples, [
    { at: t(0), status: 'running' },
    { at: t(2.5), status: 'paused', message: 'waiting for approval' },
    { at: t(7), status: 'running' },
    { at: t(40), status: 'rolled-back', message: 'Rolled back by Shipdeck: Answers are +502 ms slower' },
  ]);

  it('sums the run up: outcome, facts, hosts and phases', () => {
    expect(report.title).toBe('web v2 → staging');
    expect(report.summary.outcome).toBe('rolled back');
    expect(report.summary.headline).toBe('Rolled back to v1 by Shipdeck itself: Answers are +502 ms slower');
    expect(report.summary.facts).toContainEqual({ label: 'Started by', value: 'Ann (ann@laptop)' });
    expect(report.summary.phases.map((p) => `${p.phase} ${p.duration}`)).toEqual([
      'PREPARE 5.0 s',
      'DEPLOY 10.0 s',
      'VERIFY 10.0 s',
      'ROLLBACK 1.0 s',
    ]);
  });

  it('puts phases, status changes, ticks, the gate override, the approval, the decision and the sign-off in time order', () => {
    expect(report.timeline.map((e) => e.what)).toEqual([
      'Run started: web v2 to staging',
      'PREPARE started',
      'Stop gate met: Deploy freeze',
      'Gate overridden: Deploy freeze',
      'Status: paused',
      'Ticked: Code reviewed and approved',
      'Waived: Environment variables verified',
      'PREPARE done',
      'Approved',
      'Status: running',
      'DEPLOY started',
      'DEPLOY done',
      'VERIFY started',
      'Ticked: All health checks passing',
      'VERIFY decided: rollback',
      'VERIFY failed',
      'ROLLBACK started',
      'ROLLBACK done',
      'Status: rolled back',
      'Signed off',
    ]);
    const times = report.timeline.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(report.timeline.find((e) => e.what === 'Gate overridden: Deploy freeze')).toMatchObject({
      by: 'Ann',
      detail: 'hotfix for checkout',
    });
  });

  it('lists the checklist by section with its evidence, and every step with host, line, state, exit code and duration', () => {
    expect(report.checklist.map((s) => s.title)).toEqual(['Pre-deployment', 'Post-deployment verification']);
    expect(report.checklist[1]!.items[0]!.evidence).toBe('lab-1 answers /up | 200');
    const steps = report.plan.flatMap((b) => b.steps);
    expect(steps.map((s) => `${s.n} ${s.host} ${s.state} ${s.exit} ${s.duration}`)).toEqual([
      '1 lab-1 ok 0 150 ms',
      '2 lab-1 ok — 4 ms',
      '3 lab-2 failed 1 9 ms',
      '4 lab-1 ok — 2 ms',
      '5 lab-2 ok — 3 ms',
    ]);
    expect(report.plan.map((b) => b.phase)).toEqual(['DEPLOY', 'ROLLBACK']);
    // Only a failed step's output is kept, as recorded.
    expect(steps[2]!.outputTail).toBe('nginx: [emerg] bad <config>');
    expect(steps[0]!.outputTail).toBeUndefined();
  });

  it('orders the decision cards failures first, and draws charts from the samples', () => {
    expect(report.verification!.cards.map((c) => `${c.metric}: ${c.verdictLabel}`)).toEqual([
      'latency shift: Fail',
      'health: Pass',
    ]);
    expect(report.charts.map((c) => c.id)).toEqual(['latency-ecdf', 'latency-time', 'error-rate', 'cpu', 'memory']);
    expect(report.charts[0]!.summary).toBe(
      'baseline v1: median 3.5 ms, p95 4.0 ms over 3 answers; new v2: median 505 ms, p95 510 ms over 3 answers',
    );
    expect(report.charts[2]!.summary).toBe(
      'baseline v1: 33.3% errors (1 of 3 probes); new v2: 0% errors (0 of 3 probes)',
    );
  });

  it('says why a rolled-back run went back, who decided, and where each host went', () => {
    expect(report.rollback).toEqual({
      why: 'Answers are +502 ms slower',
      decidedBy: "Shipdeck, by itself: VERIFY's rules said roll back",
      at: t(30),
      took: '1.0 s',
      hosts: [
        { server: 'lab-1', from: 'v2', to: 'v1', result: 'Back on v1' },
        { server: 'lab-2', from: 'v2', to: 'v1', result: 'Back on v1' },
      ],
      steps: [4, 5],
    });
    const confirmed = runReport(
      {
        ...record,
        status: 'confirmed',
        problem: undefined,
        phases: record.phases.filter((p) => p.phase !== 'ROLLBACK'),
      } as RunRecord,
      samples,
    );
    expect(confirmed.rollback).toBeUndefined();
    expect(confirmed.summary.headline).toBe('Confirmed: v2 is live on lab-1, lab-2.');
  });

  it('without samples or verification, has no charts and no cards', () => {
    const bare = runReport({ ...record, verification: undefined } as RunRecord, {
      prepared: [],
      baseline: [],
      candidate: [],
    });
    expect(bare.charts).toEqual([]);
    expect(bare.verification).toBeUndefined();
    expect(reportHtml(bare)).not.toContain('Verification: decision cards');
  });
});

describe('reportMarkdown', () => {
  const md = reportMarkdown(runReport(record, samples));

  it('escapes what would break a table or become markup', () => {
    expect(escapeMarkdown('a|b <i>*x*</i> `c`')).toBe('a\\|b \\<i\\>\\*x\\*\\</i\\> \\`c\\`');
    expect(markdownCell('one\ntwo | three')).toBe('one<br>two \\| three');
    expect(md).toContain('ship it \\<script\\>alert(1)\\</script\\> \\| now');
    expect(md).not.toContain('<script>');
    // Every table row has as many cells as its header.
    for (const block of md.split('\n\n').filter((b) => b.startsWith('| '))) {
      const counts = block
        .trim()
        .split('\n')
        .map((row) => row.replace(/\\\|/g, '').split('|').length);
      expect(new Set(counts).size, block).toBe(1);
    }
  });

  it('holds every command exactly, with its exit code, in a fence no backtick in it can close', () => {
    expect(md).toContain("# 1 · lab-1 · exit 0\ndocker run --env 'A=x|y' --name web-v2 shop/web:v2 `date`");
    expect(md).toContain('# 3 · lab-2 · exit 1\nsh -c "nginx -s reload" && echo ***');
    expect(md).toContain('| 3 | lab-2 | Reload nginx \\<graceful\\> | failed | 1 | 9 ms |');
    expect(md).toContain('#### latency shift: Fail');
    expect(md).toContain('Answers are +502 ms slower than the baseline \\<b\\>bold\\</b\\> \\| piped');
    expect(md).toContain('## Rollback');
    expect(md).toContain('| lab-1 | v2 | v1 | Back on v1 |');
  });
});

describe('reportHtml', () => {
  const html = reportHtml(runReport(record, samples));

  it('is one self-contained document: no script, nothing fetched, its one stylesheet inline', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|href=|url\(|@import|style="/i);
    expect(html).toContain(`<style>${reportCss}</style>`);
    expect(html).toContain('content="default-src &#39;none&#39;; style-src &#39;sha256-');
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(html).toContain('web v2</strong> → staging');
  });

  it('escapes every value', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html).toContain('ship it &lt;script&gt;alert(1)&lt;/script&gt; | now');
    expect(html).toContain('Reload nginx &lt;graceful&gt;');
    expect(html).toContain('<pre class="output">nginx: [emerg] bad &lt;config&gt;</pre>');
    expect(html).toContain('the baseline &lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('docker run --env &#39;A=x|y&#39; --name web-v2 shop/web:v2 `date`');
  });

  it("has the sections in order, each on its own page, and the rollback's hosts", () => {
    const order = [
      'id="summary"',
      'id="timeline"',
      'id="checklist"',
      'id="plan"',
      'id="verification"',
      'id="rollback"',
    ].map((id) => html.indexOf(id));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(reportCss).toContain('section + section { break-before: page; }');
    expect(reportCss).toContain('size: A4');
    expect(html).toMatch(
      /<td><strong>lab-2<\/strong><\/td><td>v2<\/td><td><strong>v1<\/strong><\/td><td>Back on v1<\/td>/,
    );
  });

  it("allows its stylesheet by the hash the app's policy carries, so the Report view's sandboxed frame is styled", () => {
    const hash = `'sha256-${createHash('sha256').update(reportCss, 'utf8').digest('base64')}'`;
    expect(reportStyleSource).toBe(hash);
    expect(contentSecurityPolicy).toContain(`style-src 'self' ${hash}`);
  });
});

describe('reportFileName', () => {
  it('names the service, version, environment and start, in characters any file system takes', () => {
    expect(
      reportFileName({
        service: 'web',
        version: '1.2.0',
        environment: 'production',
        startedAt: '2025-06-02T10:14:03.120Z',
      }),
    ).toBe('shipdeck-report-web-1.2.0-production-2025-06-02T1014');
    expect(
      reportFileName({
        service: 'web',
        version: 'v2-slow',
        environment: 'staging',
        startedAt: '2025-06-02T10:14:03.120Z',
      }),
    ).toBe('shipdeck-report-web-v2-slow-staging-2025-06-02T1014');
    expect(
      reportFileName({ service: 'web', version: '../x y', environment: 'prod', startedAt: '2025-06-02T10:14:03.120Z' }),
    ).toBe('shipdeck-report-web-x-y-prod-2025-06-02T1014');
  });
});

describe('reportFile', () => {
  const input = { record, samples, statuses: [], redaction: redactionOf([]) };

  it('gives Markdown and HTML as text and a PDF as base64, through the printer it was given', async () => {
    expect(await reportFile({ ...input, format: 'markdown' })).toMatchObject({
      fileName: 'shipdeck-report-web-v2-staging-2025-06-02T1000.md',
      mimeType: 'text/markdown;charset=utf-8',
      text: expect.stringContaining('# Run report: web v2 → staging'),
    });
    expect(await reportFile({ ...input, format: 'html' })).toMatchObject({
      mimeType: 'text/html;charset=utf-8',
      text: expect.stringContaining('<!doctype html>'),
    });
    const printed: string[] = [];
    const pdf = await reportFile({
      ...input,
      format: 'pdf',
      printer: async (html) => (printed.push(html), Buffer.from('%PDF-1.4 fake')),
    });
    expect(pdf).toEqual({
      fileName: 'shipdeck-report-web-v2-staging-2025-06-02T1000.pdf',
      mimeType: 'application/pdf',
      base64: Buffer.from('%PDF-1.4 fake').toString('base64'),
    });
    expect(printed[0]).toContain('<h1>Run report: web v2 → staging</h1>');
  });

  it('holds no secret in any format, even from a record that still has one (a journal written before the secret was set)', async () => {
    const secret = 'pw-9f8e7d';
    const leaky: RunRecord = {
      ...record,
      notes: `deploy with ${secret}`,
      problem: { code: 'command-failed', message: `hook failed: ${secret}`, hint: `Its last output: ${secret}` },
      steps: record.steps.map((step) => ({
        ...step,
        line: `${step.line} ${secret}`,
        output: [...step.output, { stream: 'stdout' as const, text: `printed ${secret}\n`, t: record.startedAt }],
      })),
    };
    const redacted = { ...input, record: leaky, redaction: redactionOf([secret]) };
    expect(JSON.stringify(runReport(leaky, samples, []))).toContain(secret);
    const printed: string[] = [];
    for (const format of ['markdown', 'html'] as const)
      expect((await reportFile({ ...redacted, format })).text).not.toContain(secret);
    await reportFile({
      ...redacted,
      format: 'pdf',
      printer: async (html) => (printed.push(html), Buffer.from('%PDF-1.4 fake')),
    });
    expect(printed[0]).toContain('***');
    expect(printed[0]).not.toContain(secret);
  });

  it('without a printer, refuses a PDF with what to do instead', async () => {
    await expect(reportFile({ ...input, format: 'pdf' })).rejects.toMatchObject({
      problem: {
        code: 'not-found',
        message: 'A PDF of the report needs a printer, and this engine has none',
        hint: expect.stringContaining('Markdown'),
      },
    });
  });
});

describe('incidents in the report', () => {
  const incident = {
    id: 'inc-1',
    title: 'Shop <b>down</b> | 502',
    severity: 'critical' as const,
    service: 'web',
    environment: 'staging',
    openedAt: t(100),
    openedBy: 'Cleo',
    detectedAt: t(90),
    detection: 'pager',
    causedBy: record.id,
    status: 'resolved' as const,
    mitigatedAt: t(130),
    resolvedAt: t(200),
    timeline: [{ at: t(100), step: 'detect' as const, by: 'Cleo', text: 'Detected: pager' }],
    updates: [],
    postmortem: '# Postmortem\n<script>alert(1)</script>\n| a | b |',
  };

  it('carries an incident the run caused, its timeline and its postmortem, escaped in HTML and fenced in Markdown', () => {
    const report = runReport(record, samples, [], [incident, { ...incident, id: 'other', causedBy: 'another-run' }]);
    expect(report.incidents.map((i) => `${i.id}:${i.relation}`)).toEqual(['inc-1:caused']);
    const html = reportHtml(report);
    expect(html).toContain('Incident: Shop &lt;b&gt;down&lt;/b&gt; | 502');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    const markdown = reportMarkdown(report);
    expect(markdown).toContain('```markdown\n# Postmortem\n<script>alert(1)</script>\n| a | b |\n```');
  });

  it('names the rollback run that mitigated an incident', () => {
    const mitigated = {
      ...incident,
      causedBy: 'the-release',
      timeline: [
        ...incident.timeline,
        { at: t(120), step: 'mitigate' as const, by: 'Cleo', text: 'Rollback to v1 started', runId: record.id },
      ],
    };
    expect(runReport(record, samples, [], [mitigated]).incidents.map((i) => i.relation)).toEqual(['mitigated']);
  });
});
