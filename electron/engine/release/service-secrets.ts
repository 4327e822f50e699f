import { ProblemError } from '../../../shared/problem';
import type { ServiceSpec } from '../../../shared/service-spec';
import type { Vault } from '../vault';

/**
 * The values of the variables a spec lists under `secrets`, sealed in the
 * vault beside the servers' passwords: never in the spec, the data folder's
 * other files, a plan, a journal or a log line.
 */
export class ServiceSecrets {
  constructor(private readonly vault: Vault) {}

  set(service: string, name: string, value: string): void {
    if (value === '') this.vault.delete(key(service, name));
    else this.vault.set(key(service, name), value);
  }

  /** Which of the spec's secrets have a value. */
  present(spec: Pick<ServiceSpec, 'service' | 'secrets'>): string[] {
    return (spec.secrets ?? []).filter((name) => this.vault.get(key(spec.service, name)) !== undefined);
  }

  /** Every secret's value, for a deploy; a missing one stops the plan before anything runs. */
  valuesFor(spec: Pick<ServiceSpec, 'service' | 'secrets'>): Record<string, string> {
    const values: Record<string, string> = {};
    const missing: string[] = [];
    for (const name of spec.secrets ?? []) {
      const value = this.vault.get(key(spec.service, name));
      if (value === undefined) missing.push(name);
      else values[name] = value;
    }
    if (missing.length > 0) {
      throw new ProblemError({
        code: 'bad-request',
        message: `${spec.service} needs a value for ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not set`,
        where: `${spec.service}: secrets`,
        hint: 'Set each secret on the service page (Services → the service → Secrets), then preview again.',
      });
    }
    return values;
  }
}

function key(service: string, name: string): string {
  return `service:${service}:${name}`;
}
