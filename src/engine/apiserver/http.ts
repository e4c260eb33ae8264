/**
 * The apiserver's HTTP shape: a request in, a response out, plus watch streams. In the browser a client
 * calls `handle` in-process; `kubelab serve` turns real HTTP into these and back, so a real kubectl and
 * the lab's own clients see the same server.
 */
import { Emitter } from '../base/emitter.ts';

export interface ApiRequest {
  method: string;
  /** The URL path, without the query. */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Readonly<Record<string, string>>;
  body?: string;
  /** The body's bytes, when it is binary (protobuf); `body` is then not used. */
  rawBody?: Uint8Array;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /**
   * For in-process clients: the body's object as the watch cache holds it, decoded once and frozen —
   * shared with every informer, so never to be changed. Absent when the answer is not a stored object.
   */
  decoded?: () => unknown;
  /** For a watch: the stream of event lines that follows the headers. */
  watch?: WatchStream;
  /** For a streamed body (`pods/log?follow=true`): the text that follows the headers, chunk by chunk. */
  stream?: BodyStream;
  /**
   * For an upgraded connection (`pods/exec`, `pods/attach`, status 101): in process, the stand-in for the
   * SPDY/WebSocket streams remotecommand multiplexes.
   */
  connection?: StreamConnection;
  /** For an upgraded `pods/portforward` (status 101): in process, the stand-in for its SPDY connection. */
  portForward?: PortForwardConnection;
}

/** The client's ends of an exec or attach: what the remote process reads and where its output goes. */
export interface StreamIO {
  stdin?: { read(): Promise<string | undefined> };
  stdout?: { write(text: string): void };
  stderr?: { write(text: string): void };
  /** The terminal's size, for a tty. */
  consoleSize?: { cols: number; rows: number };
}

/**
 * The v4 remotecommand protocol's error stream: the one Status a connection ends with — Success, a
 * Failure with reason NonZeroExitCode and the exit code as its ExitCode cause, or another Failure
 * (InternalError) for a command that could not run.
 */
export interface StreamStatus {
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: Array<{ reason?: string; message?: string }> };
}

/**
 * An exec or attach the kubelet could not set up once the client connected (the container is not running,
 * the runtime refused): the kubelet's answer instead of the upgrade, which the client reports as
 * `unable to upgrade connection: <body>`.
 */
export class UpgradeFailure extends Error {
  override name = 'UpgradeFailure';

  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(body);
  }
}

/** An upgraded connection: `open` wires the client's streams to the remote process and resolves as it ends. */
export interface StreamConnection {
  open(io: StreamIO): Promise<StreamStatus>;
}

/** One forwarded connection's data stream, both ways: what each end writes, the other receives, until it closes. */
export interface DataStream {
  write(data: string): void;
  receive(handlers: { data(chunk: string): void; end?(): void }): void;
  close(): void;
}

/**
 * An upgraded port-forward connection (portforward.k8s.io): `open` completes the upgrade, or fails with an
 * UpgradeFailure; each forwarded TCP connection is then one stream pair on it.
 */
export interface PortForwardConnection {
  open(): Promise<PortForwardSession>;
}

/** An open port-forward connection. */
export interface PortForwardSession {
  /**
   * Forward `stream` to `port` in the pod until either side ends; resolves with what the error stream
   * carried ('' when nothing went wrong).
   */
  forward(port: number, stream: DataStream): Promise<string>;
  /** Close the connection. */
  close(): void;
}

/**
 * A response streamed item by item until the server ends it or the client stops it (closes the
 * connection). Items written before a reader subscribes are kept and delivered on subscription.
 */
export class BufferedStream<T> {
  private buffered: T[] | undefined = [];
  private ended = false;
  private readonly _onItem = new Emitter<T>();
  private readonly _onEnd = new Emitter<void>();
  private stopper: (() => void) | undefined;

  onEnd(listener: () => void): void {
    this._onEnd.event(listener);
    if (this.ended && this.buffered === undefined) listener();
  }

  /** The client stops reading (closes the connection): the server stops producing. */
  stop(): void {
    if (this.ended) return;
    this.stopper?.();
    this.end();
  }

  /** Read the items: buffered ones at once, then each as it comes. */
  protected subscribe(listener: (item: T) => void): void {
    this._onItem.event(listener);
    const pending = this.buffered;
    this.buffered = undefined;
    for (const item of pending ?? []) listener(item);
    if (this.ended) this.finish();
  }

  // —— server side ——

  setStopper(stop: () => void): void {
    this.stopper = stop;
  }

  protected push(item: T): void {
    if (this.ended) return;
    if (this.buffered) this.buffered.push(item);
    else this._onItem.fire(item);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.buffered === undefined) this.finish();
  }

  private finish(): void {
    this._onEnd.fire();
    this._onEnd.dispose();
    this._onItem.dispose();
  }
}

/**
 * A streamed text body: chunks as the server writes them until it ends the body or the client stops
 * reading (closes the connection). Chunks written before a reader subscribes are kept for it.
 */
export class BodyStream extends BufferedStream<string> {
  /** Read the body: buffered chunks at once, then each as it comes. */
  onData(listener: (chunk: string) => void): void {
    this.subscribe(listener);
  }

  write(chunk: string): void {
    if (chunk === '') return;
    this.push(chunk);
  }
}

/**
 * A watch response: JSON event lines ({"type":…,"object":…}) until the server ends it or the client
 * stops it. Lines written before a consumer subscribes are kept and delivered on subscription.
 */
export class WatchStream extends BufferedStream<[line: string, decoded: (() => unknown) | undefined]> {
  /**
   * Subscribe to event lines; buffered ones are delivered at once. In process, `decoded` (when given)
   * returns the event already decoded — `{type, object}`, the object frozen and shared with other
   * readers — so a client need not parse the line; over HTTP only the line exists.
   */
  onEvent(listener: (line: string, decoded?: () => unknown) => void): void {
    this.subscribe(([line, decoded]) => listener(line, decoded));
  }

  write(line: string, decoded?: () => unknown): void {
    this.push([line, decoded]);
  }
}

export function textResponse(status: number, body: string): ApiResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body };
}

export function jsonResponse(status: number, body: string, decoded?: () => unknown): ApiResponse {
  return decoded ? { status, headers: { 'content-type': 'application/json' }, body, decoded } : { status, headers: { 'content-type': 'application/json' }, body };
}
