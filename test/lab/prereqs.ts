// What `up` needs on the machine. CI machines start fresh: .ci/run installs these.
import { BUSYBOX } from './docker.js';
import { findExecutable, isExecutable, isStaticElf } from './sys.js';

export const SSHD = '/usr/sbin/sshd';

export const INSTALL_HINT = 'apt-get install -y docker.io openssh-server nginx-light busybox-static';

/** Names what is missing, or returns [] when everything is there. */
export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  for (const [tool, pkg] of [
    ['dockerd', 'docker.io'],
    ['docker', 'docker.io'],
    ['nginx', 'nginx-light'],
    ['ssh-keygen', 'openssh-client'],
    ['ssh', 'openssh-client'],
    ['tar', 'tar'],
  ] as const) {
    if (!findExecutable(tool)) missing.push(`${tool} (from ${pkg})`);
  }
  // sshd re-executes itself per connection, so it must be started by absolute path.
  if (!isExecutable(SSHD)) missing.push(`${SSHD} (from openssh-server)`);
  // The busybox is copied alone into an empty image, so it must not need a dynamic loader.
  if (!isStaticElf(BUSYBOX)) missing.push(`a static ${BUSYBOX} (from busybox-static)`);
  return missing;
}

export const isRoot = (): boolean => process.getuid?.() === 0;
