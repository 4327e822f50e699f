import { describe, expect, it } from 'vitest';
import { commandLine } from '../../../../shared/commands/command';
import { readFileCommand, writeFileCommand } from '../../../../shared/commands/files';

describe('files over exec', () => {
  it('writes stdin beside the file and renames it over, the paths as quoted arguments, never in the script', () => {
    const cmd = writeFileCommand("/srv/it's $(id)/upstream.conf", '/srv/x.tmp');
    expect(cmd.args).toEqual([
      '-c',
      'cat > "$2" && mv -f -- "$2" "$1" || { rm -f -- "$2"; exit 1; }',
      'write',
      "/srv/it's $(id)/upstream.conf",
      '/srv/x.tmp',
    ]);
    expect(commandLine(cmd)).toBe(
      `sh -c 'cat > "$2" && mv -f -- "$2" "$1" || { rm -f -- "$2"; exit 1; }' write '/srv/it'\\''s $(id)/upstream.conf' /srv/x.tmp`,
    );
  });

  it('reads with cat, the path after --', () => {
    expect(commandLine(readFileCommand('-rf /etc/x y'))).toBe("cat -- '-rf /etc/x y'");
  });
});
