import type { ServerStatus } from '../../../shared/fleet-status';
import type { Server } from '../../../shared/server';

/** A refused changed host key is its own health: it needs a person, and a different action than a new server. */
export type Health = ServerStatus['state'] | 'checking' | 'key-changed';

/** A server's health: what the last refresh found, or "checking" before the first one. */
export function healthOf(server: Server, status: ServerStatus | undefined): Health {
  if (status?.problem?.code === 'host-key-changed') return 'key-changed';
  if (status) return status.state;
  return server.hostKey ? 'checking' : 'untrusted';
}

/** The health in words, as the pill shows it. */
export function healthLabel(health: Health): string {
  return health === 'checking' ? 'checking…' : health === 'key-changed' ? 'host key changed' : health;
}

/** Why a server is not ok, in one line (for hover text). */
export function healthReason(status: ServerStatus | undefined): string | undefined {
  const problem = status?.problem ?? status?.dockerProblem;
  if (!problem) return undefined;
  return problem.hint ? `${problem.message.replace(/\.$/, '')}. ${problem.hint}` : problem.message;
}

/** The health word in its colour. */
export function HealthBadge({ health, title }: { health: Health; title?: string }) {
  return (
    <span className={`health health-${health}`} title={title}>
      {healthLabel(health)}
    </span>
  );
}
