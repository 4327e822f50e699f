// `npm run demo`: the lab, and Shipdeck's browser host with the lab's servers and
// a sample service already added, so a newcomer can deploy v2 and roll back in a minute.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../electron/engine/engine';
import { fileLog } from '../../electron/engine/log';
import { confSettingsStore } from '../../electron/engine/settings-store';
import { keyFileCipher } from '../../electron/engine/vault';
import { restoreLabHosts } from '../support/lab-cleanup';
import { freePortPair } from '../support/ports';
import { knownHostsFile, readLabState } from './lab-state';

const root = new URL('../..', import.meta.url).pathname;
const say = (line: string) => process.stdout.write(`demo: ${line}\n`);

if (
  spawnSync(join(root, 'node_modules/.bin/tsx'), ['test/lab/lab.ts', 'up'], { cwd: root, stdio: 'inherit' }).status !==
  0
)
  process.exit(1);
const lab = readLabState();
const hosts = lab.hosts.slice(0, 2);
await restoreLabHosts(hosts);

const dataDir = mkdtempSync(join(lab.dir, 'demo-data-'));
const engine = new Engine({
  store: confSettingsStore(dataDir),
  log: fileLog(dataDir),
  dataDir,
  host: 'browser',
  version: 'demo',
  cipher: keyFileCipher(dataDir),
});
const call = async (channel: string, request: unknown) => {
  const reply = await engine.handle(channel, request);
  if (!reply.ok) throw new Error(`${channel}: ${reply.problem.message}`);
  return reply.value;
};
for (const host of hosts) {
  const n = host.nginx!;
  await call('addServer', {
    name: host.name,
    host: '127.0.0.1',
    port: host.sshPort,
    user: 'root',
    auth: { kind: 'key', keyPath: lab.clientKey },
    environment: 'staging',
    labels: ['lab', 'web'],
    dockerSocket: '',
    proxy: { upstreamFile: n.upstream, reload: `nginx -p ${n.prefix} -e ${n.prefix}error.log -c ${n.conf} -s reload` },
  });
}
// The demo made these hosts and their keys, so it may trust them from the lab's known_hosts.
await call('importKnownHosts', { path: knownHostsFile() });
await call('saveService', {
  text: [
    '# A sample service on the lab: busybox httpd images v1, v2, a broken v3,',
    '# and v2-slow, v2-err15 and v2-err7, which VERIFY catches.',
    'service: web',
    'image: shipdeck-lab/app',
    `port: ${await freePortPair()}           # the first port tried for a new release`,
    `servers: { staging: [${hosts.map((h) => h.name).join(', ')}] }`,
    'healthcheck: { path: /up, status: 200, interval: 250ms, timeout: 1s, retries: 20 }',
    'strategy: blue-green',
    'retain: 2',
    '# VERIFY probes /cgi-bin/app on the old and the new release side by side, and judges.',
    'metrics: { http: ["/cgi-bin/app"], container: true, host: true }',
    '# A pass waits for you (so that you can still roll back); a failed rule rolls back by itself.',
    'verify: { duration: 20s, on-pass: ask }',
    '',
  ].join('\n'),
});
engine.close();
say(`servers ${hosts.map((h) => h.name).join(' and ')} and the service "web" are ready in ${dataDir}`);
for (const host of hosts) say(`${host.name} serves http://127.0.0.1:${host.publicPort}/ (now v1)`);
say('open the address below, go to Services → web → Release, type v2, preview, run; then Rollback.');
say('then release v2-slow (or v2-err15): VERIFY rolls it back by itself; v2-err7 stops and asks.');

const serve = spawn(process.execPath, [join(root, 'dist/electron/cli.js'), 'serve', '--data-dir', dataDir], {
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => serve.kill(signal));
serve.on('exit', (code) => process.exit(code ?? 0));
