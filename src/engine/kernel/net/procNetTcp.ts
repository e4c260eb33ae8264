/**
 * /proc/net/tcp for one network namespace (tcp4_seq_show in net/ipv4/tcp_ipv4.c): a header, then one
 * line per socket — listeners first, then connections — with addresses as the kernel prints a __be32
 * read as a little-endian number (127.0.0.1 → 0100007F), ports in hex, the state (0A LISTEN,
 * 01 ESTABLISHED, 08 CLOSE_WAIT), empty queues, the owner's uid and the socket's inode; each line padded
 * to 149 characters as TMPSZ makes it.
 *
 * /proc/net/tcp6 (tcp6_seq_show in net/ipv6/tcp_ipv6.c) has its own header, not padded; the sockets
 * here are all IPv4, so it lists none.
 *
 * Left out: timers and retransmits (always zero), the queue sizes, the kernel pointer (printed as zeros
 * as under kptr_restrict), IPv6 sockets.
 */
import type { ListenSocket, SockAddr, TcpSocket } from './socket.ts';
import { TCP_STATE } from './socket.ts';

const TMPSZ = 150;
const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const HEADER6 = '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

function hexAddr(a: SockAddr): string {
  const bytes = a.address.split('.').map(Number);
  const le = bytes.reverse().map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
  return `${le}:${a.port.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The file's text for these sockets (Tcp.sockets(netns)). */
export function procNetTcp(sockets: ReadonlyArray<ListenSocket | TcpSocket>): string {
  let out = `${HEADER.padEnd(TMPSZ - 1)}\n`;
  sockets.forEach((s, i) => {
    const listening = s.state === TCP_STATE.LISTEN;
    const remote = listening ? { address: '0.0.0.0', port: 0 } : (s as TcpSocket).remote;
    const uid = s.owner?.cred.euid ?? 0;
    const tail = listening ? '1 0000000000000000 100 0 0 10 0' : '1 0000000000000000 20 4 30 10 -1';
    const line = `${String(i).padStart(4)}: ${hexAddr(s.local)} ${hexAddr(remote)} ${s.state.toString(16).toUpperCase().padStart(2, '0')} 00000000:00000000 00:00000000 00000000 ${String(uid).padStart(5)} ${'0'.padStart(8)} ${s.inode} ${tail}`;
    out += `${line.padEnd(TMPSZ - 1)}\n`;
  });
  return out;
}

/** /proc/net/tcp6: its header (no socket here is IPv6). */
export function procNetTcp6(): string {
  return HEADER6;
}
