/**
 * The apiserver's kubelet client for pods' log, exec, attach and portforward (pkg/kubelet/client and the proxying of
 * pkg/registry/core/pod/rest): the request goes to the KubeletServer registered for the pod's node. A node
 * without one answers as an unreachable kubelet does — the dial to `<hostIP>:10250` refused, which the apiserver reports as a Status of its own.
 */
import { errors } from '../../api/errors.ts';
import type { ApiResponse } from '../../apiserver/http.ts';
import { jsonResponse, textResponse } from '../../apiserver/http.ts';
import type { ConnectHandler, ConnectRequest } from '../../apiserver/registry/subresources.ts';
import type { KubeletServers } from './kubeletServers.ts';

/** The kubelet's port (--port). */
export const KUBELET_PORT = 10250;

/** The ConnectHandler over the cluster's kubelet servers. */
export function connectHandler(servers: KubeletServers): ConnectHandler {
  return (request: ConnectRequest): ApiResponse => {
    const { pod, namespace, container } = request;
    const name = pod.metadata?.name ?? '';
    const server = servers.get(pod.spec?.nodeName ?? '');
    const host = `${pod.status?.hostIP ?? pod.spec?.nodeName ?? ''}:${KUBELET_PORT}`;
    const path = `/${request.subresource === 'log' ? 'containerLogs' : request.subresource}/${namespace}/${name}/${container}`;
    if (!server) {
      // The apiserver's own failure to reach the kubelet: a Status with no reason (ErrorToAPIStatus).
      const refused = `dial tcp ${host}: connect: connection refused`;
      const message = request.subresource === 'log' ? `Get "https://${host}${path}": ${refused}` : `error dialing backend: ${refused}`;
      return jsonResponse(500, JSON.stringify(errors.unknown(message).status));
    }
    const streams = request.streams ?? { stdin: false, stdout: true, stderr: true, tty: false };
    switch (request.subresource) {
      case 'log':
        return server.containerLogs({ namespace, name, container, options: request.logOptions ?? {}, ...(pod.status ? { status: pod.status } : {}) });
      case 'exec':
        return server.exec({ namespace, name, container, ...streams, command: request.command ?? [] });
      case 'attach':
        return server.attach({ namespace, name, container, ...streams });
      case 'portforward':
        return server.portForward({ namespace, name, uid: pod.metadata?.uid ?? '' });
      default:
        return textResponse(404, '404 page not found');
    }
  };
}
