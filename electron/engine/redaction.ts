import { redactionOf, type Redaction } from '../../shared/redaction';
import type { Vault } from './vault';

/**
 * The engine's one Redaction: every secret in the vault (servers' passwords
 * and passphrases, services' secrets), set before or after the engine
 * started. It is made again only after the vault changed, and a value once
 * held stays redacted while the engine runs (a secret cleared may still be
 * in a running container's environment).
 */
export function vaultRedaction(vault: Vault): Redaction {
  const seen = new Set<string>();
  let made: { readonly version: number; readonly redaction: Redaction } | undefined;
  const current = (): Redaction => {
    if (made?.version !== vault.version) {
      for (const value of vault.values()) if (value) seen.add(value);
      made = { version: vault.version, redaction: redactionOf([...seen]) };
    }
    return made.redaction;
  };
  return {
    text: (text) => current().text(text),
    value: (value) => current().value(value),
    longest: () => current().longest(),
  };
}
