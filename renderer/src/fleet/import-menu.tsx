import { useEffect, useRef, useState } from 'react';
import { KnownHostsImport } from './known-hosts-import';
import { SshConfigImport } from './ssh-config-import';

type Opened = 'ssh-config' | 'known-hosts' | null;

/** "Import…": hosts from an ssh config file, or trust from a known_hosts file. */
export function ImportMenu() {
  const [menuOpen, setMenuOpen] = useState(false);
  const [opened, setOpened] = useState<Opened>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!menuOpen) return;
    box.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!box.current?.contains(event.target as Node)) setMenuOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [menuOpen]);

  const open = (which: Opened) => {
    setMenuOpen(false);
    setOpened(which);
  };

  return (
    <div
      className="menu-box"
      ref={box}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && menuOpen) {
          event.preventDefault();
          setMenuOpen(false);
          box.current?.querySelector<HTMLElement>('button')?.focus();
        }
        if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && menuOpen) {
          event.preventDefault();
          const items = [...(box.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
          const at = items.indexOf(document.activeElement as HTMLElement);
          items[(at + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
        }
      }}
    >
      <button aria-haspopup="menu" aria-expanded={menuOpen} onClick={() => setMenuOpen(!menuOpen)}>
        Import…
      </button>
      {menuOpen && (
        <div className="menu" role="menu" aria-label="Import">
          <button role="menuitem" onClick={() => open('ssh-config')}>
            From SSH config
          </button>
          <button role="menuitem" onClick={() => open('known-hosts')}>
            Trust keys from known_hosts
          </button>
        </div>
      )}
      {opened === 'ssh-config' && (
        <SshConfigImport onClose={() => setOpened(null)} onTrustNext={() => setOpened('known-hosts')} />
      )}
      {opened === 'known-hosts' && <KnownHostsImport onClose={() => setOpened(null)} />}
    </div>
  );
}
