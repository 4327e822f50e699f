import { shownLine } from '../../../shared/commands/command';
import type { Step } from '../../../shared/deploy-plan';
import type { HealthcheckSpec } from '../../../shared/service-spec';
import { ProblemError } from '../../../shared/problem';
import { StreamRedaction, type Redaction } from '../../../shared/redaction';
import { httpGetOverLink } from '../fleet/http-over-link';
import type Docker from 'dockerode';
import { proveAnsweredBy } from './answered-by';
import { apiReads, cliReads, type ContainerReads } from './container-reads';
import type { SshLink } from '../fleet/ssh-link';

export type StepEvent =
  | { readonly type: 'start'; readonly step: Step; readonly line: string }
  | { readonly type: 'output'; readonly step: Step; readonly stream: 'stdout' | 'stderr'; readonly text: string }
  | {
      readonly type: 'end';
      readonly step: Step;
      readonly ok: boolean;
      readonly exitCode?: number | null;
      readonly durationMs: number;
      readonly detail?: string;
    };

/** How a step is shown: the command line, or what the check or write does. */
export function describeStep(step: Step): string {
  switch (step.kind) {
    case 'command':
      return step.expectOutput === undefined
        ? shownLine(step.command)
        : `${shownLine(step.command)}   (expect: ${step.expectOutput})`;
    case 'health':
      return `GET http://127.0.0.1:${step.port}${step.check.path} until ${step.check.status} (every ${step.check.intervalMs} ms, ${step.check.retries} tries, ${step.check.timeoutMs} ms each)`;
    case 'write-file':
      return `write ${step.path}: ${step.content.trim().split('\n').pop()}`;
    case 'settle':
      return `wait ${step.ms} ms`;
    case 'answered-by':
      return `check that every socket listening on 127.0.0.1:${step.port} is held by a process of ${step.container}${step.fresh ? ', and that it never restarted' : ''}`;
  }
}

/** Runs plan steps on a host's link exactly as they are written, reporting each as it goes. */
export class StepRunner {
  constructor(
    private readonly link: SshLink,
    private readonly report: (event: StepEvent) => void,
    /** Output is redacted as it streams, so a secret split across two chunks never goes out, nor into a hint. */
    private readonly redaction: Redaction,
    /** The host's Docker API over the same link, where it can be opened: container reads skip the docker CLI. */
    private readonly docker?: () => Promise<Docker>,
  ) {}

  async run(step: Step): Promise<void> {
    const started = performance.now();
    this.report({ type: 'start', step, line: describeStep(step) });
    let ended = false;
    const end = (ok: boolean, extra: { exitCode?: number | null; detail?: string } = {}) => {
      ended = true;
      this.report({ type: 'end', step, ok, durationMs: Math.round(performance.now() - started), ...extra });
    };
    try {
      switch (step.kind) {
        case 'command': {
          let tail = '';
          let stdout = '';
          const streams = { stdout: new StreamRedaction(this.redaction), stderr: new StreamRedaction(this.redaction) };
          const out = (stream: 'stdout' | 'stderr', text: string) => {
            if (!text) return;
            tail = (tail + text).slice(-2000);
            if (stream === 'stdout') stdout = (stdout + text).slice(-2000);
            this.report({ type: 'output', step, stream, text });
          };
          const result = await this.link.exec(step.command, {
            onStdout: (text) => out('stdout', streams.stdout.push(text)),
            onStderr: (text) => out('stderr', streams.stderr.push(text)),
          });
          out('stdout', streams.stdout.end());
          out('stderr', streams.stderr.end());
          const expected = step.expectOutput === undefined || stdout.trim() === step.expectOutput;
          const ok = (result.exitCode === 0 && expected) || step.allowFailure === true;
          end(ok, { exitCode: result.exitCode });
          if (!ok)
            throw new ProblemError({
              code: 'command-failed',
              message: `${step.command.purpose} failed on ${step.host} (${expected ? `exit ${result.exitCode ?? result.signal}` : `printed "${stdout.trim().slice(0, 80)}", expected "${step.expectOutput}"`})`,
              where: `${step.host}: ${shownLine(step.command)}`,
              hint: tail.trim()
                ? `Its last output: ${tail.trim().split('\n').slice(-3).join(' | ')}`
                : 'It printed nothing; check the host.',
            });
          return;
        }
        case 'health': {
          const answers = await this.waitHealthy(step.port, step.check, step.purpose);
          end(true, { detail: answers });
          return;
        }
        case 'write-file': {
          await this.link.writeFile(step.path, step.content);
          end(true);
          return;
        }
        case 'settle': {
          await new Promise((r) => setTimeout(r, step.ms));
          end(true);
          return;
        }
        case 'answered-by': {
          end(true, { detail: await proveAnsweredBy(this.link, step, await this.containerReads()) });
          return;
        }
      }
    } catch (error) {
      // Every step that started ends, failed ones too (a failed health check throws before its end).
      if (!ended) end(false, { detail: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  /** The Docker API where it opens; the CLI over SSH where it does not (it then fails as it always did, with its own words). */
  private async containerReads(): Promise<ContainerReads> {
    if (!this.docker) return cliReads(this.link);
    return this.docker().then(apiReads, () => cliReads(this.link));
  }

  /** Ask the new release for its health path until it answers as expected, keeping the last answers for the record. */
  private async waitHealthy(port: number, check: HealthcheckSpec, purpose: string): Promise<string> {
    const seen: string[] = [];
    for (let attempt = 1; attempt <= check.retries; attempt++) {
      const answer = await httpGetOverLink(this.link, port, check.path, check.timeoutMs).catch((error: Error) => ({
        status: 0,
        body: error.message,
      }));
      seen.push(`${attempt}: ${answer.status || 'no answer'} ${answer.body.slice(0, 80).trim()}`);
      if (answer.status === check.status) return `healthy after ${attempt} ${attempt === 1 ? 'try' : 'tries'}`;
      if (attempt < check.retries) await new Promise((r) => setTimeout(r, check.intervalMs));
    }
    throw new ProblemError({
      code: 'command-failed',
      message: `${purpose} on ${this.link.target.name}: it never answered ${check.path} with ${check.status} (${check.retries} tries)`,
      where: `${this.link.target.name}: 127.0.0.1:${port}${check.path}`,
      hint: `No traffic was moved to it. Last answers: ${seen.slice(-3).join('; ')}`,
      details: { answers: seen.slice(-5).join('\n') },
    });
  }
}
