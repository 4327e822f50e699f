import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { runAppContainer } from '../lab/docker';
import { APP_CONTAINER } from '../lab/layout';
import type { LabHost } from '../lab/lab-state';

/** The first line a lab host's public port (its nginx) answers now: which release it serves. */
export async function serving(publicPort: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${publicPort}/`, { headers: { Connection: 'close' } });
  return (await response.text()).split('\n')[0]!.trim();
}

/** The reload a lab host's nginx needs (its own prefix and config). */
export function labReload(host: LabHost): string {
  const n = host.nginx!;
  return `nginx -p ${n.prefix} -e ${n.prefix}error.log -c ${n.conf} -s reload`;
}

/**
 * Put lab hosts back as `lab up` left them after a deploy test: nginx sends
 * traffic to lab-app-v1 again, the test's containers are gone, and so is what
 * Shipdeck keeps under the host's home (lock, state).
 */
export async function restoreLabHosts(hosts: readonly LabHost[], service = 'web'): Promise<void> {
  for (const host of hosts) {
    writeFileSync(host.nginx!.upstream, `server 127.0.0.1:${host.appPort};\n`);
    execFileSync('sh', ['-c', labReload(host)]);
    const docker = new Docker({ socketPath: host.dockerSocket! });
    for (const c of await docker.listContainers({ all: true, filters: { label: [`shipdeck.service=${service}`] } })) {
      if (c.Names[0] !== '/lab-app-v1') await docker.getContainer(c.Id).remove({ force: true });
    }
    // `retain` counts lab-app-v1 among the service's containers, so a test's confirm may have removed it: make it again.
    const app = await docker
      .getContainer(APP_CONTAINER)
      .inspect()
      .catch(() => undefined);
    if (app)
      await docker
        .getContainer(APP_CONTAINER)
        .start()
        .catch(() => undefined);
    else await runAppContainer(host.dockerSocket!, host.appPort!);
    rmSync(join(host.dir, 'home', '.shipdeck'), { recursive: true, force: true });
  }
}
