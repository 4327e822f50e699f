import { describe, expect, it } from 'vitest';
import { parseJump, parseSshConfig } from '../../../shared/ssh-config';

const env = { home: '/home/ana', localUser: 'ana' };

describe('ssh config', () => {
  it('reads concrete hosts with Host * defaults, first value winning as in ssh', () => {
    const { hosts, warnings } = parseSshConfig(
      [
        '# my servers',
        'Host prod-1 prod-2',
        '  HostName %h.example.com',
        '  User deploy',
        'Host prod-1',
        '  Port 2222',
        '  User ignored-because-second',
        'Host bastion',
        '  HostName 203.0.113.9',
        'Host db',
        '  HostName db.internal',
        '  ProxyJump bastion',
        '  IdentityFile ~/.ssh/db_%r',
        'Host *',
        '  User fallback',
        '  IdentityFile %d/.ssh/id_ed25519',
      ].join('\n'),
      env,
    );
    expect(warnings).toEqual([]);
    expect(hosts.map((h) => h.alias)).toEqual(['prod-1', 'prod-2', 'bastion', 'db']);
    expect(hosts[0]).toMatchObject({
      hostName: 'prod-1.example.com',
      port: 2222,
      user: 'deploy',
      identityFile: '/home/ana/.ssh/id_ed25519',
      line: 2,
    });
    expect(hosts[1]).toMatchObject({ hostName: 'prod-2.example.com', port: 22, user: 'deploy' });
    expect(hosts[2]).toMatchObject({ hostName: '203.0.113.9', user: 'fallback' });
    expect(hosts[3]).toMatchObject({
      hostName: 'db.internal',
      proxyJump: 'bastion',
      identityFile: '/home/ana/.ssh/db_fallback',
    });
  });

  it('accepts key=value, quotes and any keyword case; skips patterns and negations', () => {
    const { hosts } = parseSshConfig('Host web *.lab !bad\nhostname="10.0.0.5"\nPORT=2200', env);
    expect(hosts).toEqual(
      [{ alias: 'web', hostName: '10.0.0.5', port: 2200, line: 1, identityFile: '/home/ana/.ssh/id_ed25519' }].map(
        ({ identityFile: _, ...h }) => h,
      ),
    );
  });

  it('warns about Include, Match and bad ports, naming the line', () => {
    const { hosts, warnings } = parseSshConfig(
      'Include conf.d/*\nHost a\n  Port 99999\nMatch host b\n  User x\nHost c',
      env,
    );
    expect(hosts.map((h) => h.alias)).toEqual(['c']);
    expect(warnings).toEqual([
      'line 1: Include is not followed; import the included file on its own',
      'line 2: Host a has a port that is not a number from 1 to 65535; skipped',
      'line 4: Match blocks are not read; their options are ignored',
    ]);
  });

  it('names the lines of a file that is not an ssh config by number, never by their text', () => {
    const shadow = [
      'root:$y$j9T$Qx0secretsalt$hashOfRootPassword:19700:0:99999:7:::',
      'daemon:*:19700:0:99999:7:::',
      'ana:$6$salt$anotherHash secret words:19700:0:99999:7:::',
      'HostName',
      '',
      'x y z',
      'sshd:!:19700::::::',
    ].join('\n');
    const { hosts, warnings } = parseSshConfig(shadow, env);
    expect(hosts).toEqual([]);
    expect(warnings).toEqual([
      'lines 1, 2, 3, 4, 7 are each not an ssh config line (ssh reads "Keyword value", the keyword in letters only); skipped. Is this an ssh config file?',
    ]);
    const many = parseSshConfig(Array.from({ length: 30 }, (_, i) => `user${i}:hash${i}:1:2:3`).join('\n'), env);
    expect(many.warnings).toEqual([
      'lines 1, 2, 3, 4, 5 and 25 more are each not an ssh config line (ssh reads "Keyword value", the keyword in letters only); skipped. Is this an ssh config file?',
    ]);
    expect(parseSshConfig('Host a\n  root:secret', env).warnings).toEqual([
      'line 2 is not an ssh config line (ssh reads "Keyword value", the keyword in letters only); skipped',
    ]);
  });

  it('reads ProxyJump hops', () => {
    expect(parseJump('bastion')).toEqual({ host: 'bastion' });
    expect(parseJump('ops@jump.example.com:2200')).toEqual({ user: 'ops', host: 'jump.example.com', port: 2200 });
    expect(parseJump('[2001:db8::1]:22')).toEqual({ host: '2001:db8::1', port: 22 });
  });
});
