/**
 * How a client reaches the apiserver. In the browser and in tests, `InProcessTransport` calls the
 * apiserver's handler directly (still through the full request chain: authentication, authorization,
 * admission); in Node, src/cli's HttpTransport speaks real HTTP to `kubelab serve` or any apiserver.
 */
import type { ApiRequest, ApiResponse } from '../../apiserver/http.ts';

export interface Transport {
  request(request: ApiRequest): Promise<ApiResponse>;
}

export interface RequestHandler {
  handle(request: ApiRequest): ApiResponse;
}

export class InProcessTransport implements Transport {
  /**
   * `token` is the bearer token this client authenticates with (a user, a component, a service account);
   * a request that carries its own `authorization` header (a kubeconfig user's token) keeps it.
   */
  constructor(
    private readonly server: RequestHandler,
    private readonly token: string,
    private readonly userAgent = 'kubelab',
  ) {}

  request(request: ApiRequest): Promise<ApiResponse> {
    const headers = { ...request.headers, authorization: request.headers['authorization'] ?? `Bearer ${this.token}`, 'user-agent': this.userAgent };
    return Promise.resolve(this.server.handle({ ...request, headers }));
  }
}
