/**
 * ANSI colour codes (SGR) in log lines, as styled runs of text. Other escape
 * sequences (cursor moves, titles) carry nothing a log reader needs and are
 * removed.
 */

export interface AnsiStyle {
  /** A palette index 0 to 255, or an `#rrggbb` colour. */
  readonly fg?: number | string;
  readonly bg?: number | string;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly italic?: boolean;
  readonly underline?: boolean;
  readonly inverse?: boolean;
}

export interface AnsiRun {
  readonly text: string;
  readonly style: AnsiStyle;
}

// CSI sequences (ESC [ ... final byte), OSC sequences (ESC ] ... BEL or ESC \), and lone two-byte escapes.
// eslint-disable-next-line no-control-regex -- escape sequences are control characters by definition
const escapes = /\x1b\[([0-9;:?]*)([@-~])|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Does the line hold any escape sequence at all? (Most do not, and skip the parse.) */
export function hasAnsi(text: string): boolean {
  return text.includes('\x1b');
}

/** The text a person reads, without escape sequences: what search, copy and export see. */
export function stripAnsi(text: string): string {
  return hasAnsi(text) ? text.replace(escapes, '') : text;
}

/** Split a line into runs of one style each. */
export function parseAnsi(text: string): AnsiRun[] {
  if (!hasAnsi(text)) return text ? [{ text, style: {} }] : [];
  const runs: AnsiRun[] = [];
  let style: AnsiStyle = {};
  let last = 0;
  escapes.lastIndex = 0;
  for (let match = escapes.exec(text); match; match = escapes.exec(text)) {
    if (match.index > last) runs.push({ text: text.slice(last, match.index), style });
    last = match.index + match[0].length;
    if (match[2] === 'm') style = applySgr(style, match[1] ?? '');
  }
  if (last < text.length) runs.push({ text: text.slice(last), style });
  return runs;
}

function applySgr(before: AnsiStyle, params: string): AnsiStyle {
  const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number(p)));
  let style: { -readonly [K in keyof AnsiStyle]: AnsiStyle[K] } = { ...before };
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code === 0) style = {};
    else if (code === 1) style.bold = true;
    else if (code === 2) style.dim = true;
    else if (code === 3) style.italic = true;
    else if (code === 4) style.underline = true;
    else if (code === 7) style.inverse = true;
    else if (code === 22) {
      delete style.bold;
      delete style.dim;
    } else if (code === 23) delete style.italic;
    else if (code === 24) delete style.underline;
    else if (code === 27) delete style.inverse;
    else if (code >= 30 && code <= 37) style.fg = code - 30;
    else if (code >= 90 && code <= 97) style.fg = code - 90 + 8;
    else if (code === 39) delete style.fg;
    else if (code >= 40 && code <= 47) style.bg = code - 40;
    else if (code >= 100 && code <= 107) style.bg = code - 100 + 8;
    else if (code === 49) delete style.bg;
    else if (code === 38 || code === 48) {
      const key = code === 38 ? 'fg' : 'bg';
      if (codes[i + 1] === 5 && codes[i + 2] !== undefined) {
        style[key] = Math.max(0, Math.min(255, codes[i + 2]!));
        i += 2;
      } else if (codes[i + 1] === 2 && codes[i + 4] !== undefined) {
        style[key] =
          `#${[codes[i + 2]!, codes[i + 3]!, codes[i + 4]!].map((c) => Math.max(0, Math.min(255, c)).toString(16).padStart(2, '0')).join('')}`;
        i += 4;
      }
    }
  }
  return style;
}
