import { redactionOf } from '../../shared/redaction';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProblemError } from '../../shared/problem';
import { httpGetOverLink } from '../../electron/engine/fleet/http-over-link';
import { SshLink } from '../../electron/engine/fleet/ssh-link';
import { StepRunner } from '../../electron/engine/release/step-runner';
import { closedPort, lab, targetFor } from '../support/lab-servers';

// lab-1 is reached directly: no jump host is in the way of anything below.
const host = lab().hosts[0]!;
let link: SshLink;
const runner = () => new StepRunner(link, () => undefined, redactionOf([]));

beforeAll(async () => {
  link = await SshLink.open(targetFor(host));
});
afterAll(() => link?.close());

describe('a step that cannot reach or write what it needs on a host says what, where and what next', () => {
  it('a health check of a port nothing listens on names the port and the host, and no jump host', async () => {
    const port = await closedPort();
    const error = await httpGetOverLink(link, port, '/up', 1000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    const problem = (error as ProblemError).problem;
    expect(problem.message).toMatch(
      new RegExp(`^Could not connect to 127\\.0\\.0\\.1:${port} on ${host.name} through its SSH connection: \\S`),
    );
    expect(problem.message).not.toContain('jump host');
    expect(problem.where).toBe(`${host.name}: 127.0.0.1:${port}`);
    expect(problem.hint).toContain(`Nothing accepts connections on 127.0.0.1:${port} on ${host.name}`);
    // The health step's own error carries it as its last answer.
    const check = { path: '/up', status: 200, intervalMs: 10, timeoutMs: 1000, retries: 2 };
    const failed = await runner()
      .run({ kind: 'health', host: host.name, purpose: 'Wait until v2 answers', port, check })
      .catch((e: ProblemError) => e.problem);
    expect(failed?.hint).toContain(`no answer Could not connect to 127.0.0.1:${port} on ${host.name}`);
    expect(failed?.hint).not.toContain('jump host');
  });

  it('a write into a folder that does not exist names the file, the folder and the host', async () => {
    const path = join(host.dir, 'no-such-folder', 'web.conf');
    const problem = await runner()
      .run({
        kind: 'write-file',
        host: host.name,
        purpose: 'Send traffic to v2',
        path,
        content: 'server 127.0.0.1:1;\n',
      })
      .then(
        () => undefined,
        (e: ProblemError) => e.problem,
      );
    expect(problem).toMatchObject({
      code: 'not-found',
      message: `Could not write ${path} on ${host.name}: the folder ${join(host.dir, 'no-such-folder')} does not exist there`,
      where: `${host.name}:${path}`,
      hint: expect.stringContaining(`mkdir -p ${join(host.dir, 'no-such-folder')}`),
    });
  });
});
