import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostPaths } from '../lab/layout';
import type { LabHost } from '../lab/lab-state';
import { freePorts } from '../lab/net';
import { startSshd, stopSshd } from '../lab/sshd';
import { lab } from './lab-servers';

/**
 * A second sshd for a lab host, the same in every way (host key, home, Docker) but with no
 * `Subsystem sftp` line: a server that refuses SFTP, as some hardened or minimal servers do.
 */
export async function startSftpLessSshd(host: LabHost): Promise<{ readonly port: number; stop(): Promise<void> }> {
  const labDir = lab().dir;
  const base = hostPaths(labDir, host.name);
  const dir = join(base.dir, 'nosftp');
  mkdirSync(dir, { recursive: true });
  const [port] = await freePorts(1);
  const paths = {
    ...base,
    name: `${host.name}-nosftp`,
    sshdConfig: join(dir, 'sshd_config'),
    sshdPid: join(dir, 'sshd.pid'),
    sshdLog: join(dir, 'sshd.log'),
  };
  const config = readFileSync(base.sshdConfig, 'utf8')
    .replace(/^Port \d+$/m, `Port ${port}`)
    .replace(/^PidFile .*$/m, `PidFile ${paths.sshdPid}`)
    .replace(/^Subsystem sftp .*$/m, '# no Subsystem sftp: this server refuses SFTP');
  if (/^Subsystem/m.test(config)) throw new Error(`${base.sshdConfig} still names a subsystem`);
  writeFileSync(paths.sshdConfig, config);
  await startSshd(paths, port!);
  return { port: port!, stop: async () => void (await stopSshd(labDir, paths, port!, true)) };
}
