import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { command } from '../../shared/commands/command';
import { ProblemError, type Problem } from '../../shared/problem';
import { SshLink } from '../../electron/engine/fleet/ssh-link';
import { closedPort, lab, targetFor } from '../support/lab-servers';

const links: SshLink[] = [];
afterAll(() => links.forEach((l) => l.close()));

async function open(...args: Parameters<typeof targetFor>): Promise<SshLink> {
  const link = await SshLink.open(targetFor(...args));
  links.push(link);
  return link;
}

async function problemOf(promise: Promise<unknown>): Promise<Problem> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected the call to fail').toBeInstanceOf(ProblemError);
  return (error as ProblemError).problem;
}

describe('SSH link to a real sshd', () => {
  const [host] = lab().hosts;

  it('reads the host key the server presents, as ssh-keygen prints it', async () => {
    const presented = await SshLink.scan(targetFor(host!));
    expect(presented.fingerprint).toBe(host!.hostKeyFingerprint);
    expect(presented.algorithm).toBe('ssh-ed25519');
  });

  it('runs a command and streams stdout and stderr apart, with the exit code', async () => {
    const link = await open(host!);
    let out = '';
    let err = '';
    const result = await link.exec(command('sh', ['-c', 'uname -s; echo oops >&2; exit 3'], 'test'), {
      onStdout: (t) => (out += t),
      onStderr: (t) => (err += t),
    });
    expect(out).toBe('Linux\n');
    expect(err).toBe('oops\n');
    expect(result.exitCode).toBe(3);
  });

  it('passes hostile arguments through to the host unchanged', async () => {
    const link = await open(host!);
    let out = '';
    const tricky = ["it's", '$(id)', 'a b', ';rm -rf /'];
    await link.exec(command('printf', ['%s\\n', ...tricky], 'test'), { onStdout: (t) => (out += t) });
    expect(out).toBe(tricky.map((t) => `${t}\n`).join(''));
  });

  it('runs 50 commands in parallel over one connection, each with its own output and exit code', async () => {
    const link = await open(host!);
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        let out = '';
        const result = await link.exec(command('sh', ['-c', `echo run-${i}; exit ${i % 7}`], 'test'), {
          onStdout: (t) => (out += t),
        });
        return { out, code: result.exitCode };
      }),
    );
    results.forEach((r, i) => expect(r).toEqual({ out: `run-${i}\n`, code: i % 7 }));
  });

  it('refuses an unknown host key, naming the fingerprint, before logging in', async () => {
    const problem = await problemOf(SshLink.open(targetFor(host!, { expectedFingerprint: undefined })));
    expect(problem.code).toBe('host-key-unknown');
    expect(problem.details?.fingerprint).toBe(host!.hostKeyFingerprint);
  });

  it('refuses a changed host key loudly, with both fingerprints', async () => {
    const trusted = 'SHA256:' + 'x'.repeat(43);
    const problem = await problemOf(SshLink.open(targetFor(host!, { expectedFingerprint: trusted })));
    expect(problem.code).toBe('host-key-changed');
    expect(problem.message).toContain(trusted);
    expect(problem.message).toContain(host!.hostKeyFingerprint);
    expect(problem.details).toMatchObject({ trusted, presented: host!.hostKeyFingerprint });
  });

  it('says the key was refused when it is not authorized', async () => {
    const state = lab();
    const problem = await problemOf(
      SshLink.open(
        targetFor(host!, {
          credentials: { kind: 'key', privateKey: readFileSync(state.wrongKey), keyPath: state.wrongKey },
        }),
      ),
    );
    expect(problem.code).toBe('auth-failed');
    expect(problem.message).toContain(state.wrongKey);
    expect(problem.hint).toContain('authorized_keys');
  });

  it('says nothing listens when the port is closed', async () => {
    const port = await closedPort();
    const problem = await problemOf(SshLink.open(targetFor(host!, { port })));
    expect(problem.code).toBe('unreachable');
    expect(problem.message).toContain(`127.0.0.1:${port}`);
  });

  it('reports a dropped link to its listeners', async () => {
    const link = await open(host!);
    const closed = new Promise<unknown>((resolve) => link.onClose(resolve));
    // The server side ends the session: kill our own sshd child for this connection.
    await link.exec(command('sh', ['-c', 'kill -9 $PPID'], 'test')).catch(() => undefined);
    await closed;
    expect(link.isOpen).toBe(false);
    const problem = await problemOf(link.exec(command('true', [], 'test')));
    expect(problem.code).toBe('disconnected');
  });
});
