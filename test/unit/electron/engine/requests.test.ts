import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../../../electron/engine/requests';

const draft = {
  name: 'prod-1',
  host: '127.0.0.1',
  port: 22,
  user: 'deploy',
  auth: { kind: 'key' as const, keyPath: '/home/me/.ssh/id_ed25519' },
  environment: 'production',
  labels: ['web'],
  dockerSocket: '',
};

describe('request validation', () => {
  it('accepts a well-formed server draft', () => {
    expect(parseRequest('addServer', draft)).toEqual({ ok: true, value: draft });
  });

  it('names the field and what it expects', () => {
    const result = parseRequest('addServer', { ...draft, port: 70000 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.code).toBe('bad-request');
    expect(result.problem.where).toBe('port');
    expect(result.problem.message).toContain('port must be 1 to 65535');
  });

  it('refuses unknown fields, missing fields and wrong types', () => {
    expect(parseRequest('addServer', { ...draft, extra: 1 }).ok).toBe(false);
    const { host: _host, ...withoutHost } = draft;
    expect(parseRequest('addServer', withoutHost).ok).toBe(false);
    expect(parseRequest('addServer', { ...draft, port: '22' }).ok).toBe(false);
    expect(parseRequest('addServer', 'not an object').ok).toBe(false);
  });

  it('refuses host names that could be read as options or shell', () => {
    for (const host of ['-oProxyCommand=id', 'a b', 'host;id', '$(id)']) {
      const result = parseRequest('addServer', { ...draft, host });
      expect(result.ok, host).toBe(false);
    }
  });

  it('accepts only known diagnostics', () => {
    expect(parseRequest('runDiagnostic', { serverId: 'abc-1', diagnostic: 'uname' }).ok).toBe(true);
    const bad = parseRequest('runDiagnostic', { serverId: 'abc-1', diagnostic: 'rm' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problem.where).toBe('diagnostic');
  });

  it('accepts only SHA256 fingerprints to trust', () => {
    expect(parseRequest('trustHostKey', { id: 'a', fingerprint: 'SHA256:' + 'A'.repeat(43) }).ok).toBe(true);
    expect(parseRequest('trustHostKey', { id: 'a', fingerprint: 'MD5:aa:bb' }).ok).toBe(false);
  });

  it('treats a missing request as empty', () => {
    expect(parseRequest('listServers', undefined)).toEqual({ ok: true, value: {} });
  });
});
