import { describe, expect, it } from 'vitest';
import { dataDirArgument, devServerUrl } from '../../../electron/launch-options';

describe('dataDirArgument', () => {
  it('reads --data-dir in both spellings among Chromium switches', () => {
    expect(
      dataDirArgument(['/usr/bin/electron', 'dist/electron/main.js', '--inspect=0', '--data-dir', '/tmp/sd']),
    ).toBe('/tmp/sd');
    expect(dataDirArgument(['/opt/Shipdeck/shipdeck', '--data-dir=/tmp/sd', '--remote-debugging-port=0'])).toBe(
      '/tmp/sd',
    );
    expect(dataDirArgument(['/opt/Shipdeck/shipdeck'])).toBeUndefined();
  });

  it('says what is wrong when the folder is missing', () => {
    expect(() => dataDirArgument(['app', '--data-dir'])).toThrow(/needs a folder/);
    expect(() => dataDirArgument(['app', '--data-dir', '--inspect'])).toThrow(/needs a folder/);
    expect(() => dataDirArgument(['app', '--data-dir='])).toThrow(/needs a folder/);
  });
});

describe('devServerUrl', () => {
  it('is used only when asked for explicitly, and never in a packaged app', () => {
    expect(devServerUrl({}, false)).toBeUndefined();
    expect(devServerUrl({ SHIPDECK_DEV_SERVER_URL: 'http://localhost:5173' }, false)).toBe('http://localhost:5173/');
    expect(devServerUrl({ SHIPDECK_DEV_SERVER_URL: 'http://localhost:5173' }, true)).toBeUndefined();
  });

  it('must be on this machine and over http(s)', () => {
    expect(devServerUrl({ SHIPDECK_DEV_SERVER_URL: 'http://127.0.0.1:5173/' }, false)).toBe('http://127.0.0.1:5173/');
    expect(() => devServerUrl({ SHIPDECK_DEV_SERVER_URL: 'https://evil.example/' }, false)).toThrow(/on this machine/);
    expect(() => devServerUrl({ SHIPDECK_DEV_SERVER_URL: 'file:///tmp/index.html' }, false)).toThrow(/on this machine/);
    expect(() => devServerUrl({ SHIPDECK_DEV_SERVER_URL: 'localhost:5173' }, false)).toThrow(
      /on this machine|not a URL/,
    );
  });
});
