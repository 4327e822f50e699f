import { keepRedactedLines, type Redaction } from '../../../shared/redaction';
import { ProblemError } from '../../../shared/problem';
import type { ServiceEntry } from '../../../shared/run';
import type { ServiceSecrets } from '../release/service-secrets';
import type { ServiceStore } from '../release/service-store';

/**
 * The services as the editor sees them: each spec with which of its secrets
 * have a value (never the values), saved back without losing a secret the
 * editor only ever saw redacted.
 */
export class ServiceCatalog {
  constructor(
    private readonly services: ServiceStore,
    private readonly secrets: ServiceSecrets,
    private readonly redaction: Redaction,
  ) {}

  list(): ServiceEntry[] {
    return this.services.list().map((entry) => this.withSecrets(entry));
  }

  /** Save a spec as the service it names. */
  save(text: string): ServiceEntry {
    // The editor was sent the spec redacted: a line it sends back unchanged keeps the secret it held.
    const before = this.services.list().find((e) => e.name === this.services.validate(text).name)?.text;
    return this.withSecrets(this.services.save(keepRedactedLines(text, before, this.redaction.text)));
  }

  /** Give one of the secrets a spec lists its value (an empty value clears it). */
  setSecret(service: string, name: string, value: string): ServiceEntry {
    const spec = this.services.get(service);
    if (!spec.secrets.includes(name)) {
      throw new ProblemError({
        code: 'bad-request',
        message: `${service} lists no secret ${name}`,
        where: `${service}: secrets`,
        hint: `Add ${name} to the spec's secrets first${spec.secrets.length ? ` (it lists ${spec.secrets.join(', ')})` : ''}.`,
      });
    }
    this.secrets.set(service, name, value);
    return this.withSecrets(this.services.list().find((e) => e.name === service)!);
  }

  private withSecrets(entry: ServiceEntry): ServiceEntry {
    return entry.spec ? { ...entry, secretsSet: this.secrets.present(entry.spec) } : entry;
  }
}
