import type { Step } from '../../../shared/deploy-plan';
import { processNamesCommand, socketHoldersCommand, socketTableCommand } from '../../../shared/commands/port-owner';
import { listeningInodes, parseContainerPids, parseProcessNames, parseSocketHolders } from '../../../shared/port-owner';
import { ProblemError } from '../../../shared/problem';
import type { SshLink } from '../fleet/ssh-link';
import { cliReads, read, type ContainerReads } from './container-reads';

type AnsweredByStep = Extract<Step, { kind: 'answered-by' }>;

/**
 * Prove that the process answering on the step's port is its container: every
 * socket listening there (that 127.0.0.1 reaches) is held by one of the
 * container's processes, the container runs, and a fresh one never restarted.
 * A health check alone cannot tell: a process that took the port after
 * planning answers it while the new container crash-loops on "address in use".
 * Returns what was seen, for the record; throws a Problem that says who holds the port.
 * The container is read through `reads` (the Docker API where the link has it open).
 */
export async function proveAnsweredBy(
  link: SshLink,
  step: AnsweredByStep,
  reads: ContainerReads = cliReads(link),
): Promise<string> {
  const { host, container, port } = step;
  const where = `${host}: 127.0.0.1:${port}`;
  const next = `No traffic was moved. Free port ${port} on ${host}, or plan again: a new plan picks a port that is free.`;
  // Read at once: the listening sockets, the container's processes, and whether it runs.
  const [table, top, state] = await Promise.all([
    read(link, socketTableCommand(port)),
    reads.pids(container),
    reads.state(container),
  ]);
  const inodes = listeningInodes(table.stdout, port);
  if (inodes.length === 0) {
    throw new ProblemError({
      code: 'command-failed',
      message: `Nothing listens on 127.0.0.1:${port} on ${host} any more, though it answered a moment ago`,
      where,
      hint: `${container} may have stopped; its log says why. No traffic was moved.`,
    });
  }
  const pids = parseContainerPids(top.stdout);
  // The container's own processes first; every process is searched only when they do not hold every socket, to name who does.
  const own =
    pids.size > 0 ? parseSocketHolders((await read(link, socketHoldersCommand(inodes, [...pids]))).stdout) : [];
  const heldByOwn = inodes.every((inode) => own.some((h) => h.inode === inode));
  const holders = heldByOwn ? own : parseSocketHolders((await read(link, socketHoldersCommand(inodes))).stdout);
  const foreign = [...new Set(holders.filter((h) => !pids.has(h.pid)).map((h) => h.pid))];
  if (foreign.length > 0) {
    const names = parseProcessNames((await read(link, processNamesCommand(foreign))).stdout);
    const who = foreign.map((pid) => `pid ${pid}${names.get(pid) ? ` (${names.get(pid)})` : ''}`).join(', ');
    throw new ProblemError({
      code: 'conflict',
      message: `Port ${port} on ${host} answers, but not from the new container ${container}: ${who} listens there`,
      where,
      hint: `Another process took the port after planning, so ${container} cannot listen on it (its log says why). ${next}`,
      details: { holders: who, container },
    });
  }
  // Sockets no host-side process showed: the deploy user may not read the container's /proc entries; ask inside it.
  const unseen = inodes.filter((inode) => !holders.some((h) => h.inode === inode));
  if (unseen.length > 0) {
    if (pids.size === 0) {
      throw new ProblemError({
        code: 'conflict',
        message: `Port ${port} on ${host} answers, but not from the new container ${container}, which is not running`,
        where,
        hint: `A process the deploy user cannot see holds the port (its log says why ${container} stopped). ${next}`,
        details: { container },
      });
    }
    const inside = await reads.holdersInside(container, unseen);
    const held = new Set(parseSocketHolders(inside.stdout).map((h) => h.inode));
    if (unseen.some((inode) => !held.has(inode))) {
      throw new ProblemError(
        inside.exitCode === 0
          ? {
              code: 'conflict',
              message: `Port ${port} on ${host} answers, but not from the new container ${container}: a process the deploy user cannot see listens there`,
              where,
              hint: next,
              details: { container },
            }
          : {
              code: 'command-failed',
              message: `Shipdeck could not check that ${container} is what answers on port ${port} on ${host}`,
              where,
              hint: `The deploy user may not read /proc/<pid>/fd of the container's processes, and the container has no sh, ls and grep to look from inside. Deploy as root or as the user the container runs as. No traffic was moved.`,
            },
      );
    }
  }
  const [running, restarts] = state.stdout.trim().split(/\s+/);
  if (running !== 'true') {
    throw new ProblemError({
      code: 'command-failed',
      message: `${container} is not running on ${host}`,
      where,
      hint: `Its log says why it stopped. No traffic was moved.`,
    });
  }
  if (step.fresh && restarts !== '0') {
    throw new ProblemError({
      code: 'command-failed',
      message: `${container} restarted ${restarts} times since it started on ${host}: the answers on port ${port} may not all have come from it`,
      where,
      hint: `Its log says why it stopped (a port taken by another process shows as "address already in use"). No traffic was moved.`,
    });
  }
  return `127.0.0.1:${port} is held by ${container} (pid ${[...pids].join(', ')})${step.fresh ? ', never restarted' : ''}`;
}
