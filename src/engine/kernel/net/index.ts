/**
 * net — the host's TCP sockets (Linux net/ipv4: the socket table, route lookup, /proc/net/tcp) as far
 * as in-host connections need them: programs listen, the kubelet's probes and shell tools connect from
 * one network namespace to an address another namespace of the same host holds. HTTP/1.1 framing for
 * both ends lives in http1.ts.
 *
 * Left out (the networking piece adds them): veth pairs, bridges, route tables, netfilter, conntrack,
 * VXLAN, packets and their traces, UDP, IPv6, connections between hosts.
 */
export { formatRequest, formatResponse, headerValue, MessageReader, serveHttp, STATUS_TEXT, type Headers, type HttpRequest, type HttpResponse } from './http1.ts';
export { procNetTcp, procNetTcp6 } from './procNetTcp.ts';
export { routeOutput, type Route } from './route.ts';
export { formatSockAddr, INADDR_ANY, ListenSocket, TCP_STATE, TcpSocket, type ReceiveHandlers, type SockAddr } from './socket.ts';
export { IP_LOCAL_PORT_RANGE, SOMAXCONN, Tcp, TCP_SYN_TIMEOUT_MS, tcpOf, type ConnectOptions, type TcpHost } from './tcp.ts';
