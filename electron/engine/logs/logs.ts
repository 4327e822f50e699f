import { followFile } from '../../../shared/commands/files';
import type { ContainerSummary } from '../../../shared/docker';
import { LineSplitter, splitDockerTimestamp, type LogBatch, type LogStatus, type LogTarget } from '../../../shared/log';
import { problemOf, ProblemError } from '../../../shared/problem';
import type { Server } from '../../../shared/server';
import type { Fleet } from '../fleet/fleet';
import type { Inventory } from '../inventory';
import type { Runs, RunOutputEvent } from '../release/runs';
import type { ServiceStore } from '../release/service-store';
import { LogStream } from './log-stream';

/** The window a stream belongs to: its events go there only, and close with it. */
export interface LogOwner {
  readonly id: string;
  send(event: 'logBatch', payload: LogBatch): void;
  send(event: 'logStatus', payload: LogStatus): void;
  /** True while the window's transport is backed up. */
  congested(): boolean;
}

export interface LogsOptions {
  readonly fleet: Fleet;
  readonly inventory: Inventory;
  readonly services: ServiceStore;
  readonly runs: Runs;
  readonly capLines: () => number;
  /** Takes every secret Shipdeck knows (passwords, passphrases, service secrets) out of a line. */
  readonly redact: (text: string) => string;
  readonly log: (message: string) => void;
}

/** How often a followed service or server is looked at again for containers that started (a deploy) or came back. */
export const rescanMs = 3000;
/** Lines from several hosts wait this long for older lines from a slower link, so the merge stays in time order. */
export const mergeHoldMs = 250;

/**
 * Every log a window follows: a run's output, a service's or a server's
 * containers (followed through Docker over the SSH link), or a file on a
 * host (`tail -F` over the link). Each is a LogStream to one owner.
 */
export class Logs {
  private readonly streams = new Map<string, { readonly owner: string; readonly stream: LogStream }>();

  constructor(private readonly options: LogsOptions) {}

  get open(): number {
    return this.streams.size;
  }

  /** Start following a target for a window; the stream's lines come as its events. */
  start(owner: LogOwner, streamId: string, target: LogTarget): { streamId: string; title: string; capLines: number } {
    const key = `${owner.id}/${streamId}`;
    if (this.streams.has(key))
      throw new ProblemError({
        code: 'conflict',
        message: `A log stream ${streamId} is open already`,
        hint: 'Open each log with a new id.',
      });
    const capLines = this.options.capLines();
    const title = this.titleOf(target);
    const stream = new LogStream({
      streamId,
      title,
      capLines,
      holdMs: target.kind === 'service' ? mergeHoldMs : 0,
      redact: this.options.redact,
      send: (batch) => owner.send('logBatch', batch),
      status: (status) => owner.send('logStatus', status),
      congested: () => owner.congested(),
    });
    this.streams.set(key, { owner: owner.id, stream });
    stream.onClose(() => this.streams.delete(key));
    try {
      this.feed(stream, target);
    } catch (error) {
      stream.close();
      throw error;
    }
    return { streamId, title, capLines };
  }

  stop(ownerId: string, streamId: string): boolean {
    const entry = this.streams.get(`${ownerId}/${streamId}`);
    entry?.stream.close();
    return entry !== undefined;
  }

  /** A window went away: stop everything it followed. */
  stopOwner(ownerId: string): void {
    for (const entry of [...this.streams.values()]) if (entry.owner === ownerId) entry.stream.close();
  }

  stopAll(): void {
    for (const entry of [...this.streams.values()]) entry.stream.close();
  }

  private titleOf(target: LogTarget): string {
    switch (target.kind) {
      case 'run':
        return `run ${this.options.runs.history.output(target.runId).title}`;
      case 'service':
        this.options.services.get(target.service);
        return `${target.service} on ${target.environment}`;
      case 'server':
        return `${this.options.inventory.get(target.serverId).name}${target.containers?.length ? `: ${target.containers.join(', ')}` : ''}`;
      case 'file':
        return `${this.options.inventory.get(target.serverId).name}:${target.path}`;
    }
  }

  private feed(stream: LogStream, target: LogTarget): void {
    switch (target.kind) {
      case 'run':
        return this.feedRun(stream, target.runId);
      case 'service': {
        const spec = this.options.services.get(target.service);
        const names = spec.servers[target.environment];
        if (!names)
          throw new ProblemError({
            code: 'bad-request',
            message: `${target.service} has no environment ${target.environment}`,
            where: 'servers',
            hint: `Choose one of: ${Object.keys(spec.servers).join(', ')}.`,
          });
        const servers = names.map((name) => ({ name, server: this.options.inventory.findByName(name) }));
        for (const { name, server } of servers) {
          if (!server)
            stream.problem(name, {
              code: 'not-found',
              message: `${name} is not in the inventory`,
              where: `servers.${target.environment}`,
              hint: `Add ${name} in Fleet, or correct the spec.`,
            });
          else
            this.followContainers(
              stream,
              server,
              target,
              (c) => c.labels['shipdeck.service'] === target.service && c.state === 'running',
              `shipdeck.service=${target.service}`,
            );
        }
        return;
      }
      case 'server': {
        const server = this.options.inventory.get(target.serverId);
        const wanted = target.containers && target.containers.length > 0 ? new Set(target.containers) : undefined;
        this.followContainers(stream, server, target, (c) =>
          wanted ? wanted.has(c.name) || wanted.has(c.id) : c.state === 'running',
        );
        return;
      }
      case 'file':
        return this.followFile(stream, this.options.inventory.get(target.serverId), target.path, target.tail);
    }
  }

  /** A run's output: what the journal holds, then each new chunk, cut into lines per step and stream. */
  private feedRun(stream: LogStream, runId: string): void {
    const splitters = new Map<string, LineSplitter>();
    const sources = new Map<string, number>();
    const chunk = (event: RunOutputEvent) => {
      if (event.runId !== runId) return;
      if (event.kind === 'output') {
        const key = `${event.stepId}/${event.stream}`;
        let splitter = splitters.get(key);
        if (!splitter) splitters.set(key, (splitter = new LineSplitter()));
        let src = sources.get(key);
        if (src === undefined)
          sources.set(
            key,
            (src = stream.source({
              host: event.host,
              step: event.stepId,
              purpose: event.purpose,
              stream: event.stream,
            })),
          );
        for (const line of splitter.push(event.text)) stream.line(src, event.t, line);
        return;
      }
      // A step's last line may have no newline: let it out when the step ends, or the run does.
      for (const [key, splitter] of splitters) {
        if (event.kind === 'step-end' && !key.startsWith(`${event.stepId}/`)) continue;
        for (const line of splitter.flush()) stream.line(sources.get(key)!, Date.now(), line);
      }
      if (event.kind === 'run-end') stream.end();
    };
    // Journal read and listener added in one turn of the event loop: no chunk falls between them.
    const { chunks, live } = this.options.runs.history.output(runId);
    for (const c of chunks) chunk(c);
    if (!live) return chunk({ runId, kind: 'run-end' });
    stream.onClose(this.options.runs.onOutput(chunk));
  }

  /**
   * Follow the matching containers of one server, and look again every few
   * seconds: a container started by a deploy joins, one that stopped leaves,
   * and a host that was down is followed once it answers.
   */
  private followContainers(
    stream: LogStream,
    server: Server,
    target: { readonly tail?: number; readonly sinceSeconds?: number },
    matches: (c: ContainerSummary) => boolean,
    label?: string,
  ): void {
    const followed = new Map<string, () => void>();
    // The time of the last line seen per container: one followed again (it restarted, the link came back) resumes after it.
    const lastSeen = new Map<string, number>();
    let scanning = false;
    const scan = async () => {
      if (scanning || stream.isClosed) return;
      scanning = true;
      try {
        const docker = await this.options.fleet.docker(server);
        const containers = (await docker.containers({ running: true, ...(label ? { label } : {}) })).filter(matches);
        stream.problem(server.name, undefined);
        for (const container of containers) {
          if (followed.has(container.id) || stream.isClosed) continue;
          followed.set(container.id, () => {});
          const what = `${server.name} · ${container.name}`;
          const sources = {
            stdout: stream.source({ host: server.name, container: container.name, stream: 'stdout' }),
            stderr: stream.source({ host: server.name, container: container.name, stream: 'stderr' }),
          };
          const splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() };
          const after = lastSeen.get(container.id);
          const take = (which: 'stdout' | 'stderr', lines: string[]) => {
            for (const raw of lines) {
              const stamped = splitDockerTimestamp(raw);
              const t = stamped?.t ?? Date.now();
              if (after !== undefined && t <= after) continue;
              lastSeen.set(container.id, Math.max(t, lastSeen.get(container.id) ?? 0));
              stream.line(sources[which], t, stamped?.text ?? raw);
            }
          };
          try {
            const stop = await docker.followLogs(
              container.id,
              after !== undefined
                ? { afterMs: after }
                : {
                    ...(target.tail !== undefined ? { tail: target.tail } : {}),
                    ...(target.sinceSeconds !== undefined ? { sinceSeconds: target.sinceSeconds } : {}),
                  },
              (frame) => take(frame.stream, splitters[frame.stream].push(frame.text)),
              (problem) => {
                take('stdout', splitters.stdout.flush());
                take('stderr', splitters.stderr.flush());
                followed.delete(container.id);
                stream.follow(what, false);
                if (problem) stream.problem(server.name, problem);
              },
            );
            if (stream.isClosed) stop();
            else {
              followed.set(container.id, stop);
              stream.follow(what, true);
            }
          } catch (error) {
            followed.delete(container.id);
            stream.problem(what, problemOf(error));
          }
        }
        if (containers.length === 0 && followed.size === 0)
          stream.problem(server.name, {
            code: 'not-found',
            message: `No running container to follow on ${server.name}`,
            where: server.name,
            hint: label
              ? `Nothing labelled ${label} runs there; deploy the service, or choose another environment.`
              : 'Start the container, or choose another.',
          });
      } catch (error) {
        stream.problem(server.name, problemOf(error));
      } finally {
        scanning = false;
      }
    };
    void scan();
    const timer = setInterval(() => void scan(), rescanMs);
    stream.onClose(() => {
      clearInterval(timer);
      for (const stop of followed.values()) stop();
      followed.clear();
    });
  }

  /** Follow a file on a host with `tail -F`: its last lines, then each new one, across rotations. */
  private followFile(stream: LogStream, server: Server, path: string, tail: number): void {
    const sources = {
      stdout: stream.source({ host: server.name, file: path, stream: 'stdout' }),
      stderr: stream.source({ host: server.name, file: path, stream: 'stderr' }),
    };
    const splitters = { stdout: new LineSplitter(), stderr: new LineSplitter() };
    const what = `${server.name}:${path}`;
    const cmd = followFile(path, tail);
    const emit = (which: 'stdout' | 'stderr', text: string) => {
      for (const line of splitters[which].push(text)) stream.line(sources[which], Date.now(), line);
    };
    let stop: (() => void) | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const begin = async () => {
      if (stream.isClosed) return;
      try {
        const link = await this.options.fleet.link(server);
        const running = await link.start(cmd, {
          onStdout: (text) => emit('stdout', text),
          onStderr: (text) => emit('stderr', text),
        });
        stop = running.stop;
        if (stream.isClosed) return stop();
        stream.problem(what, undefined);
        stream.follow(what, true);
        const result = await running.done;
        stream.follow(what, false);
        if (stream.isClosed) return;
        stream.problem(what, {
          code: 'command-failed',
          message: `tail stopped following ${path} on ${server.name} (${result.exitCode === null ? `signal ${result.signal}` : `exit ${result.exitCode}`})`,
          where: what,
          hint: 'Check that the file exists and the user may read it; Shipdeck tries again in a few seconds.',
        });
      } catch (error) {
        stream.problem(what, problemOf(error));
      }
      if (!stream.isClosed) retry = setTimeout(() => void begin(), rescanMs);
    };
    void begin();
    stream.onClose(() => {
      clearTimeout(retry);
      stop?.();
    });
  }
}
