import type { ServerStatus } from '../../../shared/fleet-status';
import type { Server } from '../../../shared/server';

export type Health = ServerStatus['state'] | 'checking';

/** A server's health: what the last refresh found, or "checking" before the first one. */
export function healthOf(server: Server, status: ServerStatus | undefined): Health {
  if (status) return status.state;
  return server.hostKey ? 'checking' : 'untrusted';
}

/** Why a server is not ok, in one line (for hover text). */
export function healthReason(status: ServerStatus | undefined): string | undefined {
  const problem = status?.problem ?? status?.dockerProblem;
  if (!problem) return undefined;
  return problem.hint ? `${problem.message.replace(/\.$/, '')}. ${problem.hint}` : problem.message;
}

/** The health word in its colour. */
export function HealthBadge({ health, title }: { health: Health; title?: string }) {
  return <span className={`health health-${health}`} title={title}>{health === 'checking' ? 'checking…' : health}</span>;
}
