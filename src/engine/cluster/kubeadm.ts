/**
 * What `kubeadm init` (1.32) leaves in a fresh cluster, beside the apiserver's own bootstrap objects:
 * the control plane's static pod manifests (the kubelet of the control-plane node runs them and
 * publishes mirror pods `etcd-control-plane`, `kube-apiserver-control-plane`, …), and the two addons —
 * kube-proxy (a DaemonSet) and CoreDNS (a Deployment behind the `kube-dns` Service at 10.96.0.10) —
 * with their ConfigMaps, ServiceAccounts and RBAC. Controllers and the scheduler turn the addons into
 * pods, as in a real cluster.
 *
 * The manifests keep kubeadm's images, flags, probes, requests and labels; volumes hostPath the files
 * the node would have. Left out: kubeadm's bootstrap tokens and cluster-info signing.
 */
import { parseAllDocuments } from 'yaml';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../client/rest/restClient.ts';
import { KUBERNETES_VERSION } from '../apiserver/version.ts';

const V = KUBERNETES_VERSION.gitVersion;

function docs(yaml: string): KubeObject[] {
  return parseAllDocuments(yaml).map((d) => d.toJSON() as KubeObject);
}

/** The static pods of a kubeadm control-plane node whose InternalIP is `ip`. */
export function controlPlaneStaticPods(ip: string): Pod[] {
  return docs(`apiVersion: v1
kind: Pod
metadata:
  name: etcd
  namespace: kube-system
  labels: {component: etcd, tier: control-plane}
  annotations:
    kubeadm.kubernetes.io/etcd.advertise-client-urls: https://${ip}:2379
spec:
  containers:
  - name: etcd
    image: registry.k8s.io/etcd:3.5.16-0
    imagePullPolicy: IfNotPresent
    command: [etcd, --advertise-client-urls=https://${ip}:2379, --cert-file=/etc/kubernetes/pki/etcd/server.crt, --client-cert-auth=true, --data-dir=/var/lib/etcd, --experimental-initial-corrupt-check=true, --experimental-watch-progress-notify-interval=5s, --initial-advertise-peer-urls=https://${ip}:2380, --initial-cluster=control-plane=https://${ip}:2380, --key-file=/etc/kubernetes/pki/etcd/server.key, --listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379, --listen-metrics-urls=http://127.0.0.1:2381, --listen-peer-urls=https://${ip}:2380, --name=control-plane, --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt, --peer-client-cert-auth=true, --peer-key-file=/etc/kubernetes/pki/etcd/peer.key, --peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt, --snapshot-count=10000, --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt]
    resources: {requests: {cpu: 100m, memory: 100Mi}}
    livenessProbe: {httpGet: {host: 127.0.0.1, path: /livez, port: 2381, scheme: HTTP}, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15, failureThreshold: 8}
    readinessProbe: {httpGet: {host: 127.0.0.1, path: /readyz, port: 2381, scheme: HTTP}, periodSeconds: 1, timeoutSeconds: 15, failureThreshold: 3}
    startupProbe: {httpGet: {host: 127.0.0.1, path: /readyz, port: 2381, scheme: HTTP}, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15, failureThreshold: 24}
    volumeMounts:
    - {mountPath: /var/lib/etcd, name: etcd-data}
    - {mountPath: /etc/kubernetes/pki/etcd, name: etcd-certs}
  hostNetwork: true
  priority: 2000001000
  priorityClassName: system-node-critical
  securityContext: {seccompProfile: {type: RuntimeDefault}}
  volumes:
  - {hostPath: {path: /etc/kubernetes/pki/etcd, type: DirectoryOrCreate}, name: etcd-certs}
  - {hostPath: {path: /var/lib/etcd, type: DirectoryOrCreate}, name: etcd-data}
---
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
  labels: {component: kube-apiserver, tier: control-plane}
  annotations:
    kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint: ${ip}:6443
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:${V}
    imagePullPolicy: IfNotPresent
    command: [kube-apiserver, --advertise-address=${ip}, --allow-privileged=true, --authorization-mode=Node,RBAC, --client-ca-file=/etc/kubernetes/pki/ca.crt, --enable-admission-plugins=NodeRestriction, --enable-bootstrap-token-auth=true, --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt, --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt, --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key, --etcd-servers=https://127.0.0.1:2379, --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt, --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key, --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname, --secure-port=6443, --service-account-issuer=https://kubernetes.default.svc.cluster.local, --service-account-key-file=/etc/kubernetes/pki/sa.pub, --service-account-signing-key-file=/etc/kubernetes/pki/sa.key, --service-cluster-ip-range=10.96.0.0/12, --tls-cert-file=/etc/kubernetes/pki/apiserver.crt, --tls-private-key-file=/etc/kubernetes/pki/apiserver.key]
    resources: {requests: {cpu: 250m}}
    livenessProbe: {httpGet: {host: ${ip}, path: /livez, port: 6443, scheme: HTTPS}, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15, failureThreshold: 8}
    readinessProbe: {httpGet: {host: ${ip}, path: /readyz, port: 6443, scheme: HTTPS}, periodSeconds: 1, timeoutSeconds: 15, failureThreshold: 3}
    startupProbe: {httpGet: {host: ${ip}, path: /livez, port: 6443, scheme: HTTPS}, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15, failureThreshold: 24}
    volumeMounts:
    - {mountPath: /etc/ssl/certs, name: ca-certs, readOnly: true}
    - {mountPath: /etc/kubernetes/pki, name: k8s-certs, readOnly: true}
  hostNetwork: true
  priority: 2000001000
  priorityClassName: system-node-critical
  securityContext: {seccompProfile: {type: RuntimeDefault}}
  volumes:
  - {hostPath: {path: /etc/ssl/certs, type: DirectoryOrCreate}, name: ca-certs}
  - {hostPath: {path: /etc/kubernetes/pki, type: DirectoryOrCreate}, name: k8s-certs}
---
apiVersion: v1
kind: Pod
metadata:
  name: kube-controller-manager
  namespace: kube-system
  labels: {component: kube-controller-manager, tier: control-plane}
spec:
  containers:
  - name: kube-controller-manager
    image: registry.k8s.io/kube-controller-manager:${V}
    imagePullPolicy: IfNotPresent
    command: [kube-controller-manager, --allocate-node-cidrs=true, --authentication-kubeconfig=/etc/kubernetes/controller-manager.conf, --authorization-kubeconfig=/etc/kubernetes/controller-manager.conf, --bind-address=127.0.0.1, --client-ca-file=/etc/kubernetes/pki/ca.crt, --cluster-cidr=10.244.0.0/16, --cluster-name=kubernetes, --cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt, --cluster-signing-key-file=/etc/kubernetes/pki/ca.key, --controllers=*,bootstrapsigner,tokencleaner, --kubeconfig=/etc/kubernetes/controller-manager.conf, --leader-elect=true, --requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt, --root-ca-file=/etc/kubernetes/pki/ca.crt, --service-account-private-key-file=/etc/kubernetes/pki/sa.key, --service-cluster-ip-range=10.96.0.0/12, --use-service-account-credentials=true]
    resources: {requests: {cpu: 200m}}
    livenessProbe: {httpGet: {host: 127.0.0.1, path: /healthz, port: 10257, scheme: HTTPS}, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15, failureThreshold: 8}
    startupProbe: {httpGet: {host: 127.0.0.1, path: /healthz, port: 10257, scheme: HTTPS}, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15, failureThreshold: 24}
    volumeMounts:
    - {mountPath: /etc/kubernetes/pki, name: k8s-certs, readOnly: true}
    - {mountPath: /etc/kubernetes/controller-manager.conf, name: kubeconfig, readOnly: true}
  hostNetwork: true
  priority: 2000001000
  priorityClassName: system-node-critical
  securityContext: {seccompProfile: {type: RuntimeDefault}}
  volumes:
  - {hostPath: {path: /etc/kubernetes/pki, type: DirectoryOrCreate}, name: k8s-certs}
  - {hostPath: {path: /etc/kubernetes/controller-manager.conf, type: FileOrCreate}, name: kubeconfig}
---
apiVersion: v1
kind: Pod
metadata:
  name: kube-scheduler
  namespace: kube-system
  labels: {component: kube-scheduler, tier: control-plane}
spec:
  containers:
  - name: kube-scheduler
    image: registry.k8s.io/kube-scheduler:${V}
    imagePullPolicy: IfNotPresent
    command: [kube-scheduler, --authentication-kubeconfig=/etc/kubernetes/scheduler.conf, --authorization-kubeconfig=/etc/kubernetes/scheduler.conf, --bind-address=127.0.0.1, --kubeconfig=/etc/kubernetes/scheduler.conf, --leader-elect=true]
    resources: {requests: {cpu: 100m}}
    livenessProbe: {httpGet: {host: 127.0.0.1, path: /healthz, port: 10259, scheme: HTTPS}, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15, failureThreshold: 8}
    startupProbe: {httpGet: {host: 127.0.0.1, path: /healthz, port: 10259, scheme: HTTPS}, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 15, failureThreshold: 24}
    volumeMounts:
    - {mountPath: /etc/kubernetes/scheduler.conf, name: kubeconfig, readOnly: true}
  hostNetwork: true
  priority: 2000001000
  priorityClassName: system-node-critical
  securityContext: {seccompProfile: {type: RuntimeDefault}}
  volumes:
  - {hostPath: {path: /etc/kubernetes/scheduler.conf, type: FileOrCreate}, name: kubeconfig}
`) as Pod[];
}

/** The data of one of kubeadm's addon ConfigMaps (`coredns`, `kube-proxy`), as `kubeadmAddons(endpoint)` installs it. */
export function addonConfigData(name: string, endpoint: string): Record<string, string> {
  const cm = kubeadmAddons(endpoint).find((o) => o.kind === 'ConfigMap' && o.metadata?.name === name) as { data?: Record<string, string> } | undefined;
  if (!cm?.data) throw new Error(`kubeadm has no addon ConfigMap named ${name}`);
  return cm.data;
}

/**
 * kubeadm's addons: kube-proxy and CoreDNS, with what they need. `endpoint` is the control plane's
 * address and port, the server of kube-proxy's kubeconfig.
 */
export function kubeadmAddons(endpoint: string): KubeObject[] {
  return docs(`apiVersion: v1
kind: ServiceAccount
metadata: {name: kube-proxy, namespace: kube-system}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: kube-proxy
  namespace: kube-system
  labels: {app: kube-proxy}
data:
  config.conf: |-
    apiVersion: kubeproxy.config.k8s.io/v1alpha1
    bindAddress: 0.0.0.0
    clientConnection:
      kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
    clusterCIDR: 10.244.0.0/16
    kind: KubeProxyConfiguration
    mode: ""
  kubeconfig.conf: |-
    apiVersion: v1
    kind: Config
    clusters:
    - cluster:
        certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
        server: https://${endpoint}
      name: default
    contexts:
    - context:
        cluster: default
        namespace: default
        user: default
      name: default
    current-context: default
    users:
    - name: default
      user:
        tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: kubeadm:node-proxier}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:node-proxier}
subjects:
- {kind: ServiceAccount, name: kube-proxy, namespace: kube-system}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: kube-proxy
  namespace: kube-system
  labels: {k8s-app: kube-proxy}
spec:
  selector:
    matchLabels: {k8s-app: kube-proxy}
  template:
    metadata:
      labels: {k8s-app: kube-proxy}
    spec:
      containers:
      - name: kube-proxy
        image: registry.k8s.io/kube-proxy:${V}
        imagePullPolicy: IfNotPresent
        command: [/usr/local/bin/kube-proxy, --config=/var/lib/kube-proxy/config.conf, --hostname-override=$(NODE_NAME)]
        env:
        - name: NODE_NAME
          valueFrom: {fieldRef: {apiVersion: v1, fieldPath: spec.nodeName}}
        securityContext: {privileged: true}
        volumeMounts:
        - {mountPath: /var/lib/kube-proxy, name: kube-proxy}
        - {mountPath: /run/xtables.lock, name: xtables-lock}
        - {mountPath: /lib/modules, name: lib-modules, readOnly: true}
      hostNetwork: true
      nodeSelector: {kubernetes.io/os: linux}
      priorityClassName: system-node-critical
      serviceAccountName: kube-proxy
      tolerations:
      - {operator: Exists}
      volumes:
      - {configMap: {name: kube-proxy}, name: kube-proxy}
      - {hostPath: {path: /run/xtables.lock, type: FileOrCreate}, name: xtables-lock}
      - {hostPath: {path: /lib/modules}, name: lib-modules}
  updateStrategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 1}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: coredns, namespace: kube-system}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: system:coredns}
rules:
- apiGroups: [""]
  resources: [endpoints, services, pods, namespaces]
  verbs: [list, watch]
- apiGroups: [discovery.k8s.io]
  resources: [endpointslices]
  verbs: [list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: system:coredns}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:coredns}
subjects:
- {kind: ServiceAccount, name: coredns, namespace: kube-system}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: coredns, namespace: kube-system}
data:
  Corefile: |
    .:53 {
        errors
        health {
           lameduck 5s
        }
        ready
        kubernetes cluster.local in-addr.arpa ip6.arpa {
           pods insecure
           fallthrough in-addr.arpa ip6.arpa
           ttl 30
        }
        prometheus :9153
        forward . /etc/resolv.conf {
           max_concurrent 1000
        }
        cache 30 {
           disable success cluster.local
           disable denial cluster.local
        }
        loop
        reload
        loadbalance
    }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
  labels: {k8s-app: kube-dns}
spec:
  replicas: 2
  selector:
    matchLabels: {k8s-app: kube-dns}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxUnavailable: 1}
  template:
    metadata:
      labels: {k8s-app: kube-dns}
    spec:
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
          - weight: 100
            podAffinityTerm:
              labelSelector:
                matchExpressions:
                - {key: k8s-app, operator: In, values: [kube-dns]}
              topologyKey: kubernetes.io/hostname
      containers:
      - name: coredns
        image: registry.k8s.io/coredns/coredns:v1.11.3
        imagePullPolicy: IfNotPresent
        args: [-conf, /etc/coredns/Corefile]
        ports:
        - {containerPort: 53, name: dns, protocol: UDP}
        - {containerPort: 53, name: dns-tcp, protocol: TCP}
        - {containerPort: 9153, name: metrics, protocol: TCP}
        resources:
          limits: {memory: 170Mi}
          requests: {cpu: 100m, memory: 70Mi}
        livenessProbe: {httpGet: {path: /health, port: 8080, scheme: HTTP}, initialDelaySeconds: 60, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 5}
        readinessProbe: {httpGet: {path: /ready, port: 8181, scheme: HTTP}}
        securityContext:
          allowPrivilegeEscalation: false
          capabilities: {add: [NET_BIND_SERVICE], drop: [ALL]}
          readOnlyRootFilesystem: true
        volumeMounts:
        - {mountPath: /etc/coredns, name: config-volume, readOnly: true}
      dnsPolicy: Default
      nodeSelector: {kubernetes.io/os: linux}
      priorityClassName: system-cluster-critical
      serviceAccountName: coredns
      tolerations:
      - {key: CriticalAddonsOnly, operator: Exists}
      - {effect: NoSchedule, key: node-role.kubernetes.io/control-plane}
      volumes:
      - configMap:
          items:
          - {key: Corefile, path: Corefile}
          name: coredns
        name: config-volume
---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels: {k8s-app: kube-dns, kubernetes.io/cluster-service: "true", kubernetes.io/name: CoreDNS}
  annotations: {prometheus.io/port: "9153", prometheus.io/scrape: "true"}
spec:
  clusterIP: 10.96.0.10
  ports:
  - {name: dns, port: 53, protocol: UDP, targetPort: 53}
  - {name: dns-tcp, port: 53, protocol: TCP, targetPort: 53}
  - {name: metrics, port: 9153, protocol: TCP, targetPort: 9153}
  selector: {k8s-app: kube-dns}
`);
}
