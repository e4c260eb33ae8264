/**
 * One HTTP/1 exchange as a client makes it (busybox wget, nginx's proxy_pass): write the request on an
 * open connection and read one response with the kernel's MessageReader. Undefined when the server
 * closed without answering, or the connection was already gone when the request was written.
 */
import { KernelError } from '../kernel/errno.ts';
import { MessageReader, type Message } from '../kernel/net/http1.ts';
import type { Connection } from '../cluster/loopback.ts';

export function exchange(conn: Connection, request: string): Promise<Message | undefined> {
  return new Promise((resolve) => {
    const reader = new MessageReader('response');
    conn.receive({
      data: (chunk) => {
        const [message] = reader.push(chunk);
        if (message) resolve(message);
      },
      end: () => resolve(reader.end()),
    });
    try {
      conn.write(request);
    } catch (error) {
      if (!(error instanceof KernelError)) throw error;
      resolve(undefined);
    }
  });
}
