import type { ChannelMap, WriteLog } from '../channels';
import type { LogOwner, Logs } from './logs';

/** The logs' channels: follow a log, and stop following it. */
export type LogChannel = 'openLog' | 'closeLog';

/** What the logs' channels work on; `ownerOf` says where a window's log events go. */
export interface LogChannelParts {
  readonly logs: Logs;
  readonly ownerOf: (owner: string) => LogOwner;
  readonly log: WriteLog;
}

/** The logs' handlers: a log answers to the window that opened it alone. */
export function logChannels({ logs, ownerOf, log }: LogChannelParts): ChannelMap<LogChannel> {
  return {
    openLog: async ({ streamId, target }, { owner }) => {
      const opened = logs.start(ownerOf(owner), streamId, target);
      log('info', `log opened: ${opened.title} (${target.kind}, ${logs.open} open)`);
      return opened;
    },
    closeLog: async ({ streamId }, { owner }) => ({ closed: logs.stop(owner, streamId) }),
  };
}
