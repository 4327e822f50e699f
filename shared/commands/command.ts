/**
 * Commands as data: every remote action is a plain value first, shown to the
 * user as it is, then executed exactly as shown.
 */
export interface RemoteCommand {
  readonly program: string;
  readonly args: readonly string[];
  /** Why this runs, in the user's words ("Read the kernel version"). */
  readonly purpose: string;
  /** Values that must never appear in output, logs or previews. */
  readonly redact: readonly string[];
}

/** Build a command value; arguments stay separate until `commandLine` quotes them. */
export function command(
  program: string,
  args: readonly string[],
  purpose: string,
  redact: readonly string[] = [],
): RemoteCommand {
  return { program, args: [...args], purpose, redact: [...redact] };
}

const safeWord = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quote one argument for a POSIX shell. This is the only place in Shipdeck
 * where shell quoting happens: a word of safe characters stays as it is,
 * anything else is wrapped in single quotes with embedded quotes escaped.
 */
export function shellQuote(word: string): string {
  if (word.length > 0 && safeWord.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The exact line a shell on the host receives for this command. */
export function commandLine(cmd: RemoteCommand): string {
  return [cmd.program, ...cmd.args].map(shellQuote).join(' ');
}

/** The command line as people see it (previews, journals, errors): the secrets it carries as ***. */
export function shownLine(cmd: RemoteCommand): string {
  // Each word is redacted before it is quoted: quoting changes a secret holding a quote.
  return [cmd.program, ...cmd.args].map((word) => shellQuote(redact(word, cmd.redact))).join(' ');
}

/** Replace every secret in a text by ***, longest first so overlapping secrets leave nothing behind. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join('***');
  }
  return out;
}

/** `redact` compiled once for many lines: one pattern, longest secret first, and a line without a secret is left alone. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const words = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  if (words.length === 0) return (text) => text;
  const pattern = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return (text) => text.replace(pattern, '***');
}
