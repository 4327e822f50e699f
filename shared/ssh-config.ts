/** One concrete Host of an ssh config file, with what Shipdeck needs from it. */
export interface SshConfigHost {
  readonly alias: string;
  readonly hostName: string;
  readonly port: number;
  readonly user?: string;
  readonly identityFile?: string;
  /** As written: `alias`, `user@host:port`, or a comma-separated chain. */
  readonly proxyJump?: string;
  /** Line of the Host block in the file. */
  readonly line: number;
}

export interface SshConfigParse {
  readonly hosts: readonly SshConfigHost[];
  readonly warnings: readonly string[];
}

interface Block {
  readonly patterns: readonly string[];
  readonly line: number;
  readonly options: Map<string, string>;
}

const wanted = new Set(['hostname', 'port', 'user', 'identityfile', 'proxyjump']);

/**
 * Parse an ssh config file the way ssh reads it: for each concrete Host, the
 * first value of each option wins, taken from every block whose patterns match
 * (so `Host *` defaults apply). Tokens %h, %p, %r, %u, %d and ~ are expanded.
 */
export function parseSshConfig(
  text: string,
  env: { readonly home: string; readonly localUser: string },
): SshConfigParse {
  const blocks: Block[] = [{ patterns: ['*'], line: 0, options: new Map() }];
  const warnings: string[] = [];
  // Lines that are not `Keyword value`: named by number only, since the file may be anything (a
  // password file picked by mistake) and its text must not travel on in a warning.
  const unreadable: number[] = [];
  let skipping = false;
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const match = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(trimmed);
    // ssh's keywords are letters only; anything else is a line ssh itself would refuse.
    if (!match || !/^[A-Za-z]+$/.test(match[1]!)) {
      unreadable.push(line);
      return;
    }
    const keyword = match[1]!.toLowerCase();
    const value = unquote(match[2]!.trim());
    if (keyword === 'host') {
      skipping = false;
      blocks.push({ patterns: value.split(/\s+/).filter(Boolean), line, options: new Map() });
      return;
    }
    if (keyword === 'match') {
      skipping = true;
      warnings.push(`line ${line}: Match blocks are not read; their options are ignored`);
      return;
    }
    if (keyword === 'include') {
      warnings.push(`line ${line}: Include is not followed; import the included file on its own`);
      return;
    }
    if (skipping || !wanted.has(keyword)) return;
    const block = blocks[blocks.length - 1]!;
    if (!block.options.has(keyword)) block.options.set(keyword, value);
  });

  const hosts: SshConfigHost[] = [];
  for (const block of blocks) {
    for (const alias of block.patterns) {
      if (alias.startsWith('!') || /[*?]/.test(alias) || hosts.some((h) => h.alias === alias)) continue;
      const option = (name: string) => {
        for (const b of blocks) if (matches(alias, b.patterns) && b.options.has(name)) return b.options.get(name);
        return undefined;
      };
      const hostName = expand(option('hostname') ?? alias, {
        ...env,
        alias,
        host: alias,
        user: undefined,
        port: undefined,
      });
      const portText = option('port') ?? '22';
      const port = Number(portText);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        warnings.push(`line ${block.line}: Host ${alias} has a port that is not a number from 1 to 65535; skipped`);
        continue;
      }
      const user = option('user');
      const identity = option('identityfile');
      const proxyJump = option('proxyjump');
      const tokens = { ...env, alias, host: hostName, user, port };
      hosts.push({
        alias,
        hostName,
        port,
        line: block.line,
        ...(user ? { user } : {}),
        ...(identity ? { identityFile: expand(identity, tokens) } : {}),
        ...(proxyJump && proxyJump.toLowerCase() !== 'none' ? { proxyJump } : {}),
      });
    }
  }
  const lineOf = (warning: string) => Number(/^lines? (\d+)/.exec(warning)?.[1] ?? 0);
  if (unreadable.length > 0) warnings.push(unreadableWarning(unreadable));
  return { hosts, warnings: warnings.sort((a, b) => lineOf(a) - lineOf(b)) };
}

/** One warning for every line that is not `Keyword value`: a few numbers named, never the text. */
function unreadableWarning(lines: readonly number[]): string {
  const why = 'not an ssh config line (ssh reads "Keyword value", the keyword in letters only); skipped';
  if (lines.length === 1) return `line ${lines[0]} is ${why}`;
  const rest = lines.length > 5 ? ` and ${lines.length - 5} more` : '';
  return `lines ${lines.slice(0, 5).join(', ')}${rest} are each ${why}. Is this an ssh config file?`;
}

/** One hop of a ProxyJump value: `[user@]host[:port]`. */
export function parseJump(hop: string): { user?: string; host: string; port?: number } {
  const at = hop.lastIndexOf('@');
  const user = at > 0 ? hop.slice(0, at) : undefined;
  const rest = at > 0 ? hop.slice(at + 1) : hop;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  const plain = /^([^:]+)(?::(\d+))?$/.exec(rest);
  const parts = bracketed ?? plain;
  const host = parts?.[1] ?? rest;
  const port = parts?.[2] ? Number(parts[2]) : undefined;
  return { host, ...(user ? { user } : {}), ...(port ? { port } : {}) };
}

function matches(alias: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    const regex = new RegExp(
      `^${body
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    if (regex.test(alias)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function expand(
  value: string,
  t: {
    home: string;
    localUser: string;
    alias: string;
    host: string;
    user: string | undefined;
    port: number | undefined;
  },
): string {
  const withHome = value.startsWith('~/') ? t.home + value.slice(1) : value;
  return withHome.replace(/%([%dhnpru])/g, (_, token: string) => {
    switch (token) {
      case '%':
        return '%';
      case 'd':
        return t.home;
      case 'h':
        return t.host;
      case 'n':
        return t.alias;
      case 'p':
        return String(t.port ?? 22);
      case 'r':
        return t.user ?? t.localUser;
      default:
        return t.localUser;
    }
  });
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}
