import type { SFTPWrapper } from 'ssh2';
import type { HostFacts } from '../../../shared/fleet-status';
import { hostFactsCommand } from '../../../shared/commands/host';
import { factsFromProc, parseHostFacts } from '../../../shared/host-facts';
import { ProblemError } from '../../../shared/problem';
import type { SshLink } from './ssh-link';

const staticFiles = {
  osRelease: '/etc/os-release',
  ostype: '/proc/sys/kernel/ostype',
  osrelease: '/proc/sys/kernel/osrelease',
  cpuinfo: '/proc/cpuinfo',
} as const;
type StaticReadings = { readonly [K in keyof typeof staticFiles]: string };

/**
 * Reads a host's vital signs over its link. It reads /proc through a
 * long-lived SFTP channel, so a refresh starts no process on the host; things
 * that never change (OS, kernel, CPUs) are read once per link. Where the
 * server has no SFTP subsystem it runs the one-command shell probe instead.
 */
export class HostProbe {
  private statics: Promise<StaticReadings> | undefined;
  private useShell: boolean;

  constructor(
    private readonly link: SshLink,
    private readonly serverName: string,
    prefer: 'sftp' | 'shell' = 'sftp',
  ) {
    this.useShell = prefer === 'shell';
  }

  async facts(): Promise<HostFacts> {
    if (!this.useShell) {
      try {
        return await this.viaSftp();
      } catch (error) {
        if (error instanceof ProblemError && error.problem.code !== 'sftp-unavailable') throw error;
        // No SFTP subsystem (or it refused): the shell probe works everywhere.
        this.useShell = true;
      }
    }
    return this.viaShell();
  }

  private async viaSftp(): Promise<HostFacts> {
    const sftp = await this.link.sftp();
    const read = (path: string) => readText(sftp, path);
    this.statics ??= (async () => {
      const [osRelease, ostype, osrelease, cpuinfo] = await Promise.all([
        read(staticFiles.osRelease).catch(() => ''),
        read(staticFiles.ostype),
        read(staticFiles.osrelease),
        read(staticFiles.cpuinfo),
      ]);
      return { osRelease, ostype, osrelease, cpuinfo };
    })();
    const [statics, uptime, loadavg, meminfo, rootFs] = await Promise.all([
      this.statics,
      read('/proc/uptime'),
      read('/proc/loadavg'),
      read('/proc/meminfo'),
      new Promise<{ blockSize: number; blocks: number; freeBlocks: number }>((resolve, reject) =>
        sftp.ext_openssh_statvfs('/', (error, fs: { f_frsize: number; f_blocks: number; f_bfree: number }) =>
          error ? reject(error) : resolve({ blockSize: fs.f_frsize, blocks: fs.f_blocks, freeBlocks: fs.f_bfree }),
        ),
      ),
    ]);
    return this.checked(factsFromProc({ ...statics, uptime, loadavg, meminfo, rootFs }), 'SFTP');
  }

  private async viaShell(): Promise<HostFacts> {
    let out = '';
    const result = await this.link.exec(hostFactsCommand, { onStdout: (t) => (out += t) });
    return this.checked(parseHostFacts(out), `sh (exit ${result.exitCode})`);
  }

  private checked(facts: HostFacts | { missing: string }, via: string): HostFacts {
    if (!('missing' in facts)) return facts;
    throw new ProblemError({
      code: 'command-failed',
      message: `Could not read the vital signs of ${this.serverName} (no ${facts.missing}, read through ${via})`,
      where: this.serverName,
      hint: 'The host may not be Linux, or /proc may be hidden from this user.',
    });
  }
}

function readText(sftp: SFTPWrapper, path: string): Promise<string> {
  return new Promise((resolve, reject) =>
    sftp.readFile(path, (error, data) => (error ? reject(error) : resolve(data.toString('utf8')))),
  );
}
