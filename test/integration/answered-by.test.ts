import { redactionOf } from '../../shared/redaction';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answeredByStep } from '../../shared/commands/release-steps';
import type { ProblemError } from '../../shared/problem';
import { DockerLink } from '../../electron/engine/fleet/docker-link';
import { SshLink } from '../../electron/engine/fleet/ssh-link';
import { StepRunner, type StepEvent } from '../../electron/engine/release/step-runner';
import { lab, serverFor, targetFor } from '../support/lab-servers';
import { freePortPair } from '../support/ports';

// lab-1 runs lab-app-v1 (as root, host network) on its appPort; sdlab may use Docker there but not read root's /proc/<pid>/fd.
const host = lab().hosts[0]!;
const v1 = { release: 'v1', container: 'lab-app-v1', port: host.appPort! };
let root: SshLink;
let sdlab: SshLink;
let squatter: ChildProcess;
let squatterPort: number;
const www = mkdtempSync(join(tmpdir(), 'shipdeck-answered-by-'));

// Each case runs twice: with the container read through the Docker API over the link, and with the docker CLI.
let viaApi = false;

async function prove(link: SshLink, release: typeof v1): Promise<{ detail?: string; error?: ProblemError }> {
  const ends: StepEvent[] = [];
  const docker = viaApi ? async () => (await DockerLink.open(link, serverFor(host))).docker : undefined;
  const error = await new StepRunner(link, (e) => ends.push(e), redactionOf([]), docker)
    .run(answeredByStep(host.name, release, false))
    .then(
      () => undefined,
      (e: ProblemError) => e,
    );
  const end = ends.find((e) => e.type === 'end');
  return { ...(end?.type === 'end' && end.detail ? { detail: end.detail } : {}), ...(error ? { error } : {}) };
}

beforeAll(async () => {
  root = await SshLink.open(targetFor(host));
  sdlab = await SshLink.open(targetFor(host, { user: lab().sdlab.user }));
  squatterPort = await freePortPair();
  writeFileSync(join(www, 'up'), 'squatter\n');
  squatter = spawn('busybox', ['httpd', '-f', '-p', `127.0.0.1:${squatterPort}`, '-h', www], { stdio: 'ignore' });
  const started = performance.now();
  while (
    !(await fetch(`http://127.0.0.1:${squatterPort}/up`).then(
      (r) => r.ok,
      () => false,
    ))
  )
    if (performance.now() - started > 5000) throw new Error('the squatter did not start');
});

afterAll(() => {
  squatter?.kill();
  root?.close();
  sdlab?.close();
  rmSync(www, { recursive: true, force: true });
});

describe.each([
  ['the docker CLI', false],
  ['the Docker API over the link', true],
])('the proof that a port is served by the container, read through %s', (_how, api) => {
  beforeAll(() => {
    viaApi = api;
  });

  it('holds for a container that listens on its own port, seen from the host as root', async () => {
    const { detail, error } = await prove(root, v1);
    expect(error).toBeUndefined();
    expect(detail).toMatch(new RegExp(`^127\\.0\\.0\\.1:${v1.port} is held by lab-app-v1 \\(pid \\d+`));
  });

  it("holds for a deploy user who cannot read root's processes, looking from inside the container", async () => {
    const { detail, error } = await prove(sdlab, v1);
    expect(error).toBeUndefined();
    expect(detail).toContain('is held by lab-app-v1');
  });

  it('fails when another process holds the port, naming it for root and saying it is unseen for others', async () => {
    const taken = { ...v1, port: squatterPort };
    const asRoot = (await prove(root, taken)).error?.problem;
    expect(asRoot?.message).toBe(
      `Port ${squatterPort} on ${host.name} answers, but not from the new container lab-app-v1: pid ${squatter.pid} (busybox) listens there`,
    );
    const asUser = (await prove(sdlab, taken)).error?.problem;
    expect(asUser?.message).toBe(
      `Port ${squatterPort} on ${host.name} answers, but not from the new container lab-app-v1: a process the deploy user cannot see listens there`,
    );
    expect(asUser?.hint).toContain(`Free port ${squatterPort} on ${host.name}, or plan again`);
  });
});
