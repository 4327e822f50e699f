import { describe, expect, it } from 'vitest';
import { followFile, readFileCommand, writeFileCommand } from '../../../../shared/commands/files';

describe('file commands', () => {
  it('writes stdin beside the file, then renames it over the file, the paths as arguments', () => {
    expect(writeFileCommand('/srv/upstream.conf', '/srv/upstream.conf.shipdeck-ab.tmp')).toEqual({
      program: 'sh',
      args: [
        '-c',
        'cat > "$2" && mv -f -- "$2" "$1" || { rm -f -- "$2"; exit 1; }',
        'write',
        '/srv/upstream.conf',
        '/srv/upstream.conf.shipdeck-ab.tmp',
      ],
      purpose: 'Write /srv/upstream.conf',
      redact: [],
    });
  });

  it('reads a file, the path after --', () => {
    expect(readFileCommand('-rf')).toEqual({ program: 'cat', args: ['--', '-rf'], purpose: 'Read -rf', redact: [] });
  });

  it('follows a file from its last lines on, across rotations', () => {
    expect(followFile('/var/log/nginx/access.log', 1000)).toEqual({
      program: 'tail',
      args: ['-n', '1000', '-F', '--', '/var/log/nginx/access.log'],
      purpose: 'Follow /var/log/nginx/access.log',
      redact: [],
    });
  });
});
