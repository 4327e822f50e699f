import { channelNames, type Api, type Bridge, type Channel } from './contract';
import { ProblemError } from './problem';

/** Turn a host's bridge (replies as data) into the api the UI uses (values or thrown ProblemErrors). */
export function apiFromBridge(bridge: Bridge): Api {
  const methods: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const channel of channelNames) {
    methods[channel] = async (request: unknown) => {
      const call = bridge[channel] as (request: unknown) => ReturnType<Bridge[Channel]>;
      const reply = await call(request ?? {});
      if (!reply.ok) throw new ProblemError(reply.problem);
      return reply.value;
    };
  }
  return { ...methods, on: bridge.subscribe } as unknown as Api;
}
