import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import type { RemoteCommand } from '../../../shared/commands/command';
import { readFileCommand, writeFileCommand } from '../../../shared/commands/files';
import { ProblemError, type Problem } from '../../../shared/problem';
import type { ExecHandlers, ExecResult } from './exec-channel';

/** What to add to a server's sshd_config so that Shipdeck reads and writes files over SFTP again. */
export const sftpSubsystemHint =
  'Add `Subsystem sftp internal-sftp` to /etc/ssh/sshd_config on the server and reload sshd; until then Shipdeck reads and writes files over exec (cat), which works but starts a process for each file.';

/** What the files need of their link: its host, its state, its SFTP subsystem and its commands. */
export interface FilesLink {
  readonly target: { readonly name: string; readonly user: string; readonly host: string; readonly port: number };
  isOpen(): boolean;
  openSftp(callback: (error: Error | undefined, sftp: SFTPWrapper) => void): void;
  exec(cmd: RemoteCommand, handlers: ExecHandlers): Promise<ExecResult>;
  disconnected(): Problem;
}

/**
 * A host's files over its one SSH link: through one shared SFTP session, or over exec (`cat`)
 * where the server's sshd has no SFTP subsystem, which is then remembered for the link.
 */
export class RemoteFiles {
  private sftpSession: Promise<SFTPWrapper> | undefined;
  private sftpRefusal: Problem | undefined;

  constructor(private readonly link: FilesLink) {}

  /**
   * The link's SFTP session (a subsystem channel, no shell), opened once and shared. A server
   * whose sshd has no `Subsystem sftp` refuses it with a ProblemError that says so (and the
   * link remembers, see `refusal`); `read` and `write` then work over exec.
   */
  sftp(): Promise<SFTPWrapper> {
    if (this.sftpRefusal) return Promise.reject(new ProblemError(this.sftpRefusal));
    this.sftpSession ??= new Promise<SFTPWrapper>((resolve, reject) => {
      if (!this.link.isOpen()) {
        reject(new ProblemError(this.link.disconnected()));
        return;
      }
      this.link.openSftp((error, sftp) => {
        if (error) {
          if (!this.link.isOpen() || !/subsystem/i.test(error.message)) return reject(error);
          const target = this.link.target;
          this.sftpRefusal = {
            code: 'sftp-unavailable',
            message: `${target.name} has no SFTP subsystem (its sshd refused it: ${error.message})`,
            where: `${target.user}@${target.host}:${target.port}`,
            hint: sftpSubsystemHint,
          };
          return reject(new ProblemError(this.sftpRefusal));
        }
        sftp.on('close', () => (this.sftpSession = undefined));
        resolve(sftp);
      });
    });
    this.sftpSession.catch(() => (this.sftpSession = undefined));
    return this.sftpSession;
  }

  /** Why this server's files go over exec rather than SFTP; undefined while SFTP works (or was not needed yet). */
  get refusal(): Problem | undefined {
    return this.sftpRefusal;
  }

  /** A file's text, over SFTP, or over exec (`cat`) where the server has no SFTP subsystem. */
  async read(path: string): Promise<string> {
    const sftp = await this.sftpIfServed();
    if (sftp) {
      return new Promise((resolve, reject) =>
        sftp.readFile(path, (error, data) =>
          error ? reject(this.fileProblem('read', path, error.message)) : resolve(data.toString('utf8')),
        ),
      );
    }
    let text = '';
    let stderr = '';
    const result = await this.link.exec(readFileCommand(path), {
      onStdout: (t) => (text += t),
      onStderr: (t) => (stderr += t),
    });
    if (result.exitCode !== 0) throw this.fileProblem('read', path, stderr.trim() || `cat exited ${result.exitCode}`);
    return text;
  }

  /**
   * Write a file whole: beside it, then renamed over it, so a reader (nginx) never sees half of
   * it. The temporary name is unique, so two links writing one file (servers sharing a home) never
   * rename each other's. Over SFTP, or over exec (`cat`) where the server has no SFTP subsystem.
   */
  async write(path: string, content: string): Promise<void> {
    const temp = `${path}.shipdeck-${randomBytes(6).toString('hex')}.tmp`;
    const sftp = await this.sftpIfServed();
    if (sftp) {
      try {
        await new Promise<void>((resolve, reject) =>
          sftp.writeFile(temp, content, (error) => (error ? reject(error) : resolve())),
        );
        await new Promise<void>((resolve, reject) =>
          sftp.ext_openssh_rename(temp, path, (error) => (error ? reject(error) : resolve())),
        );
      } catch (error) {
        sftp.unlink(temp, () => undefined);
        throw this.fileProblem('write', path, (error as Error).message, (error as { code?: unknown }).code);
      }
      return;
    }
    let stderr = '';
    const result = await this.link.exec(writeFileCommand(path, temp), {
      stdin: content,
      onStderr: (t) => (stderr += t),
    });
    if (result.exitCode !== 0) throw this.fileProblem('write', path, stderr.trim() || `sh exited ${result.exitCode}`);
  }

  /** The SFTP session, or undefined when the server refused the subsystem (files then go over exec). */
  private async sftpIfServed(): Promise<SFTPWrapper | undefined> {
    try {
      return await this.sftp();
    } catch (error) {
      if (this.sftpRefusal) return undefined;
      throw error instanceof ProblemError
        ? error
        : new ProblemError({
            ...this.link.disconnected(),
            message: `Could not open SFTP on ${this.link.target.name}: ${(error as Error).message}`,
          });
    }
  }

  /** A read or write that failed, with the file and the host, and what to change there. */
  private fileProblem(action: 'read' | 'write', path: string, why: string, code?: unknown): ProblemError {
    const host = this.link.target.name;
    const user = this.link.target.user;
    const where = `${host}:${path}`;
    const folder = posix.dirname(path);
    // SFTP's status 2 is "No such file", 3 "Permission denied"; over exec, sh says the same in words.
    if (action === 'write' && (code === 2 || /no such file|nonexistent directory/i.test(why))) {
      return new ProblemError({
        code: 'not-found',
        message: `Could not write ${path} on ${host}: the folder ${folder} does not exist there`,
        where,
        hint: `Create it on ${host} (mkdir -p ${folder}), or correct the path (a server's nginx upstream file is set in its proxy settings).`,
      });
    }
    if (action === 'write' && (code === 3 || /permission denied/i.test(why))) {
      return new ProblemError({
        code: 'command-failed',
        message: `Could not write ${path} on ${host}: permission denied`,
        where,
        hint: `Let ${user} write in ${folder} on ${host} (and replace ${path}), or log in as a user who may.`,
      });
    }
    return new ProblemError({
      code: 'command-failed',
      message: `Could not ${action} ${path} on ${host}: ${why}`,
      where,
      hint:
        action === 'write'
          ? `Check that the folder ${folder} exists on ${host} and that ${user} may write there.`
          : `Check that the file exists on ${host} and that ${user} may read it.`,
    });
  }
}
