import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { command, commandLine, redact, shellQuote } from '../../../../shared/commands/command';

/** What a real POSIX shell makes of a line: each argument on its own line. */
function argsSeenByShell(line: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `set -- ${line}; for a in "$@"; do printf '%s\\0' "$a"; done`], {
    encoding: 'utf8',
  });
  return out.split('\0').slice(0, -1);
}

describe('shellQuote', () => {
  it('leaves safe words as they are', () => {
    expect(shellQuote('uname')).toBe('uname');
    expect(shellQuote('/var/run/docker.sock')).toBe('/var/run/docker.sock');
    expect(shellQuote('shop/web:v2')).toBe('shop/web:v2');
  });

  it('quotes empty strings, spaces and shell syntax', () => {
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote('$(rm -rf /)')).toBe("'$(rm -rf /)'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('round-trips hostile arguments through a real shell unchanged', () => {
    const hostile = [
      'plain',
      '',
      'two words',
      "quote'inside",
      '"double"',
      '$HOME',
      '`id`',
      '$(id)',
      'a;b',
      'a&&b',
      'a|b',
      '*',
      '~',
      'new\nline',
      'tab\there',
      '\\back',
      '-n',
      '!bang',
      'ünï',
    ];
    expect(argsSeenByShell(hostile.map(shellQuote).join(' '))).toEqual(hostile);
  });
});

describe('commandLine', () => {
  it('is the program and each argument quoted by shellQuote', () => {
    const cmd = command('docker', ['ps', '--filter', 'label=shipdeck.service=web shop'], 'List the service');
    expect(commandLine(cmd)).toBe("docker ps --filter 'label=shipdeck.service=web shop'");
    expect(argsSeenByShell(commandLine(cmd))).toEqual(['docker', 'ps', '--filter', 'label=shipdeck.service=web shop']);
  });
});

describe('redact', () => {
  it('replaces every secret, longest first', () => {
    expect(redact('pw=hunter2 token=hunter2x', ['hunter2', 'hunter2x'])).toBe('pw=*** token=***');
  });

  it('ignores empty secrets', () => {
    expect(redact('nothing to hide', [''])).toBe('nothing to hide');
  });
});
