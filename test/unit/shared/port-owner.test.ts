import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandLine } from '../../../shared/commands/command';
import { processNamesCommand, socketHoldersCommand, socketTableCommand } from '../../../shared/commands/port-owner';
import { listeningInodes, parseContainerPids, parseProcessNames, parseSocketHolders } from '../../../shared/port-owner';

const table = [
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0 100 0 0 10 0',
  '   1: 00000000:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 112 1 0 100 0 0 10 0',
  '   2: 0100007F:0BB8 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 113 1 0 20 4 30 10 -1',
  '   3: 0A00020F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 114 1 0 100 0 0 10 0',
  '   4: 0100007F:0BB9 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 115 1 0 100 0 0 10 0',
  '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
  '   0: 00000000000000000000000000000000:0BB8 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 116 1 0',
  '   1: 0000000000000000FFFF00000100007F:0BB8 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 117 1 0',
].join('\n');

describe('the sockets that answer on a port', () => {
  it('keeps the listening ones a connection to 127.0.0.1 reaches, IPv4 and IPv6, and nothing else', () => {
    // 113 is a connection, not a listener; 114 listens on another address; 115 on another port.
    expect(listeningInodes(table, 3000).sort()).toEqual(['111', '112', '116', '117']);
    expect(listeningInodes(table, 3001)).toEqual(['115']);
    expect(listeningInodes(table, 3002)).toEqual([]);
  });

  it('reads holders from ls -l folder by folder, and the pids docker top prints', () => {
    const listing = [
      '/proc/17/fd:',
      'lrwx------ 1 root root 64 Dec  7 15:45 3 -> socket:[111]',
      '/proc/42/fd:',
      'lrwx------    1 root     root            64 Dec  7 15:45 5 -> socket:[112]',
      'lrwx------ 1 root root 64 Dec  7 15:45 6 -> socket:[112]',
    ].join('\n');
    expect(parseSocketHolders(listing)).toEqual([
      { pid: 17, inode: '111' },
      { pid: 42, inode: '112' },
    ]);
    expect([...parseContainerPids('PID\n1201\n1230\n')]).toEqual([1201, 1230]);
    expect(parseProcessNames('17 busybox\n42 \n')).toEqual(
      new Map([
        [17, 'busybox'],
        [42, ''],
      ]),
    );
  });
});

describe('on this machine, the commands find the real holder of a real socket', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('names this test process as the one listening on its port', () => {
    const sh = (line: string) => execFileSync('sh', ['-c', line], { encoding: 'utf8' });
    const table = sh(commandLine(socketTableCommand(port)));
    // Only the listening line of this port comes back, however many connections the machine holds.
    expect(table.trim().split('\n')).toHaveLength(1);
    const inodes = listeningInodes(table, port);
    expect(inodes).toHaveLength(1);
    const holders = parseSocketHolders(sh(commandLine(socketHoldersCommand(inodes))));
    expect(holders).toEqual([{ pid: process.pid, inode: inodes[0] }]);
    // Among named processes only: found in this one, not in another.
    expect(parseSocketHolders(sh(commandLine(socketHoldersCommand(inodes, [process.pid]))))).toEqual([
      { pid: process.pid, inode: inodes[0] },
    ]);
    expect(parseSocketHolders(sh(commandLine(socketHoldersCommand(inodes, [process.ppid]))))).toEqual([]);
    expect(parseProcessNames(sh(commandLine(processNamesCommand([process.pid])))).get(process.pid)).toMatch(/node/);
  });
});
