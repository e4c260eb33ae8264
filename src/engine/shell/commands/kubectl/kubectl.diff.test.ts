/**
 * The lab's kubectl against the real kubectl 1.32 (/usr/bin/kubectl or $KUBECTL). Each scenario starts two
 * labs with the same seed, each served by `kubelab serve` on a paused clock, and runs the same setup on
 * both; then each step runs the real kubectl against one lab and the lab's kubectl (over HTTP,
 * src/cli/httpTransport.ts) against the other. The labs stay in step, so every command sees the same state
 * on both sides and must give the same stdout, stderr and exit status.
 *
 * A scenario may ask for a full cluster (KUBEADM_CLUSTER: nodes, controllers, scheduler, addons) instead
 * of a bare control plane; a `tick <duration>` step moves both labs' virtual clocks the same way, timer by
 * timer, so controllers act while both sides stay identical.
 *
 * Skipped, loudly, on a machine without the real kubectl.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_USER } from '../../../apiserver/kubeApiserver.ts';
import { KUBEADM_CLUSTER, Lab } from '../../../cluster/index.ts';
import { parseDuration, settle } from '../../../testing/testCluster.ts';
import { HttpTransport } from '../../../../cli/httpTransport.ts';
import { ADMIN_TOKEN, startServer, writeKubeconfig } from '../../../../cli/serve.ts';
import { words } from '../coreutils/testing.ts';
import { SeededRng } from '../../../base/seededRng.ts';
import { Session } from '../../session.ts';
import { builtinCommands } from '../index.ts';
import { runKubectl, type KubectlResult } from './testing.ts';
import { advanceSettled } from '../../../base/advance.ts';

const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const available = existsSync(KUBECTL);
if (!available) console.warn(`\n*** SKIPPED: the kubectl differential test: ${KUBECTL} is not on this machine (set $KUBECTL to run it) ***\n`);

const manifest = `apiVersion: v1
kind: Namespace
metadata:
  name: demo
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: demo
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  namespace: demo
  labels:
    app: web
data:
  greeting: hello
`;

const extras = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: demo
  labels:
    app: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
---
apiVersion: v1
kind: Secret
metadata:
  name: token
  namespace: demo
type: Opaque
stringData:
  password: s3cret
  user: admin
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: robot
  namespace: demo
`;

/** The manifest with a changed Deployment and ConfigMap, a new ConfigMap, and a changed Secret, for kubectl diff. */
const changed = manifest.replace('replicas: 2', 'replicas: 3').replace('greeting: hello', 'greeting: hi\n  extra: "1"');
const fresh = `apiVersion: v1
kind: ConfigMap
metadata:
  name: fresh
  namespace: demo
  labels:
    app: other
data:
  k: v
`;
const secretChanged = `apiVersion: v1
kind: Secret
metadata:
  name: token
  namespace: demo
type: Opaque
stringData:
  password: n3w
  user: admin
`;

/** Workloads of every kind a student meets, for describe on a full cluster. */
const workloads = `apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: demo
spec:
  clusterIP: None
  selector:
    app: db
  ports:
  - port: 6379
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: demo
spec:
  serviceName: db
  replicas: 2
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: redis
        image: redis:7
        ports:
        - containerPort: 6379
          name: redis
        resources:
          requests:
            cpu: 100m
            memory: 64Mi
          limits:
            memory: 128Mi
  volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      resources:
        requests:
          storage: 1Gi
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: demo
  labels:
    app: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      tolerations:
      - key: node-role.kubernetes.io/control-plane
        operator: Exists
        effect: NoSchedule
      containers:
      - name: agent
        image: busybox:1.36
        command: [sh, -c, sleep 3600]
        env:
        - name: NODE
          valueFrom:
            fieldRef:
              fieldPath: spec.nodeName
        - name: POD
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
---
apiVersion: batch/v1
kind: Job
metadata:
  name: once
  namespace: demo
spec:
  completions: 2
  backoffLimit: 3
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox:1.36
        command: [sh, -c, echo done]
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: tick
  namespace: demo
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: main
            image: busybox:1.36
            command: [date]
---
apiVersion: v1
kind: ResourceQuota
metadata:
  name: quota
  namespace: demo
spec:
  hard:
    pods: "20"
    requests.memory: 4Gi
    limits.memory: 8Gi
---
apiVersion: v1
kind: LimitRange
metadata:
  name: limits
  namespace: demo
spec:
  limits:
  - type: Container
    default:
      memory: 256Mi
    defaultRequest:
      memory: 128Mi
    max:
      memory: 1Gi
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: demo
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app: web
---
apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv1
  labels:
    type: local
spec:
  capacity:
    storage: 2Gi
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  hostPath:
    path: /data/pv1
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: claim
  namespace: demo
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: demo
spec:
  rules:
  - host: web.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: hungry
  namespace: demo
spec:
  containers:
  - name: main
    image: nginx:1.27
    resources:
      requests:
        cpu: "64"
---
apiVersion: v1
kind: Pod
metadata:
  name: picky
  namespace: demo
spec:
  nodeSelector:
    disk: ssd
  containers:
  - name: main
    image: nginx:1.27
`;

/** The less common settings of the workload kinds: indexed and suspended jobs, cron job limits, other strategies. */
const workloadVariants = `apiVersion: batch/v1
kind: Job
metadata:
  name: indexed
  namespace: demo
spec:
  completions: 3
  parallelism: 3
  completionMode: Indexed
  activeDeadlineSeconds: 600
  ttlSecondsAfterFinished: 3600
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox:1.36
---
apiVersion: batch/v1
kind: Job
metadata:
  name: paused
  namespace: demo
spec:
  suspend: true
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: main
        image: busybox:1.36
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
  namespace: demo
  labels:
    team: ops
spec:
  schedule: "0 3 * * *"
  timeZone: Europe/Paris
  suspend: true
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 120
  successfulJobsHistoryLimit: 1
  failedJobsHistoryLimit: 2
  jobTemplate:
    metadata:
      labels:
        job: nightly
    spec:
      parallelism: 2
      completions: 4
      activeDeadlineSeconds: 300
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: main
            image: busybox:1.36
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: recreate
  namespace: demo
spec:
  replicas: 1
  strategy:
    type: Recreate
  selector:
    matchLabels:
      app: recreate
  template:
    metadata:
      labels:
        app: recreate
    spec:
      containers:
      - name: main
        image: nginx:1.27
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cache
  namespace: demo
spec:
  serviceName: cache
  replicas: 1
  updateStrategy:
    rollingUpdate:
      partition: 1
      maxUnavailable: 2
  selector:
    matchLabels:
      app: cache
  template:
    metadata:
      labels:
        app: cache
    spec:
      containers:
      - name: main
        image: redis:7
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: logger
  namespace: demo
spec:
  updateStrategy:
    type: OnDelete
  selector:
    matchLabels:
      app: logger
  template:
    metadata:
      labels:
        app: logger
    spec:
      nodeSelector:
        logging: "on"
      containers:
      - name: main
        image: busybox:1.36
`;

/** Pods whose status the steps write by hand (a bare control plane has no kubelet to do it): states kwok never reaches. */
const handMadePods = `apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
  namespace: default
---
apiVersion: v1
kind: Pod
metadata:
  name: crashy
  namespace: default
spec:
  nodeName: n1
  readinessGates:
  - conditionType: example.com/feature
  - conditionType: example.com/other
  initContainers:
  - name: init
    image: busybox:1.36
  - name: sidecar
    image: envoy:1.30
    restartPolicy: Always
    resources:
      requests:
        cpu: 50m
  containers:
  - name: app
    image: crasher:1
  - name: waiting
    image: nginx:1.27
---
apiVersion: v1
kind: Pod
metadata:
  name: evicted
  namespace: default
spec:
  nodeName: n1
  containers:
  - name: app
    image: nginx:1.27
`;

const handMadeStatuses: Record<string, unknown> = {
  crashy: {
    phase: 'Running',
    hostIP: '172.18.0.3',
    podIP: '10.244.1.7',
    podIPs: [{ ip: '10.244.1.7' }, { ip: 'fd00::7' }],
    startTime: '2026-01-01T00:00:00Z',
    nominatedNodeName: 'n2',
    conditions: [
      { type: 'example.com/feature', status: 'True' },
      { type: 'Ready', status: 'False' },
    ],
    initContainerStatuses: [
      { name: 'init', image: 'busybox:1.36', imageID: 'docker.io/library/busybox@sha256:11', containerID: 'containerd://i1', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2026-01-01T00:00:01Z', finishedAt: '2026-01-01T00:00:02Z' } } },
      { name: 'sidecar', image: 'envoy:1.30', imageID: 'docker.io/library/envoy@sha256:22', containerID: 'containerd://s1', ready: true, restartCount: 0, started: true, state: { running: { startedAt: '2026-01-01T00:00:03Z' } } },
    ],
    containerStatuses: [
      { name: 'app', image: 'crasher:1', imageID: 'docker.io/library/crasher@sha256:33', containerID: 'containerd://a1', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s' } }, lastState: { terminated: { exitCode: 137, signal: 9, reason: 'OOMKilled', message: 'out of memory', startedAt: '2026-01-01T00:04:00Z', finishedAt: '2026-01-01T00:04:10Z' } } },
      { name: 'waiting', image: 'nginx:1.27', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } },
    ],
  },
  evicted: {
    phase: 'Failed',
    reason: 'Evicted',
    message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi.',
    hostIP: '172.18.0.3',
    startTime: '2026-01-01T00:00:00Z',
    qosClass: 'BestEffort',
  },
};

/**
 * Events written by hand for the pods of `uids` (name to uid): a repeated core/v1 event, and an
 * events.k8s.io-style one with a series from a reporting controller.
 */
const handMadeEvents = (uids: Record<string, string>) => Object.entries(uids).map(([pod, uid]) => `apiVersion: v1
kind: Event
metadata:
  name: ${pod}.1
  namespace: default
involvedObject:
  kind: Pod
  name: ${pod}
  namespace: default
  uid: ${uid}
  fieldPath: spec.containers{app}
reason: BackOff
message: "Back-off restarting failed container app in pod ${pod}_default(x)  "
type: Warning
source:
  component: kubelet
  host: n1
firstTimestamp: "2026-01-01T00:00:00Z"
lastTimestamp: "2026-01-01T00:00:00Z"
count: 7
---
apiVersion: v1
kind: Event
metadata:
  name: ${pod}.2
  namespace: default
involvedObject:
  kind: Pod
  name: ${pod}
  namespace: default
  uid: ${uid}
reason: Preempted
message: by kube-system/vip
type: Normal
eventTime: "2026-01-01T00:00:00.000000Z"
series:
  count: 3
  lastObservedTime: "2026-01-01T00:00:00.000000Z"
reportingComponent: default-scheduler
reportingInstance: default-scheduler-cp
action: Preempting
`).join('---\n');

/** A pod template with most of what describe prints: init containers, probes, env sources, volumes, scheduling. */
const kitchenSink = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: demo
data:
  mode: fast
  motd: |
    hello
    world
binaryData:
  blob: AAECAw==
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: important
value: 1000
description: for the kitchen sink
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: sink
  namespace: demo
  annotations:
    note: a deployment with everything
spec:
  replicas: 1
  minReadySeconds: 5
  strategy:
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  selector:
    matchLabels:
      app: sink
  template:
    metadata:
      labels:
        app: sink
        tier: backend
      annotations:
        prometheus.io/scrape: "true"
    spec:
      serviceAccountName: robot
      priorityClassName: important
      nodeSelector:
        kubernetes.io/os: linux
      securityContext:
        seccompProfile:
          type: RuntimeDefault
      tolerations:
      - key: dedicated
        operator: Equal
        value: db
        effect: NoSchedule
      - operator: Exists
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: ScheduleAnyway
        labelSelector:
          matchLabels:
            app: sink
      initContainers:
      - name: setup
        image: busybox:1.36
        command: [sh, -c, "echo one\\necho two"]
        volumeMounts:
        - name: scratch
          mountPath: /scratch
      containers:
      - name: app
        image: nginx:1.27
        args: [--port, "8080"]
        ports:
        - containerPort: 8080
          name: http
        - containerPort: 9090
          hostPort: 9090
          protocol: UDP
        resources:
          requests:
            cpu: 250m
            memory: 64Mi
          limits:
            cpu: "1"
            memory: 128Mi
        livenessProbe:
          httpGet:
            path: /healthz
            port: 8080
          initialDelaySeconds: 3
          periodSeconds: 10
        readinessProbe:
          tcpSocket:
            port: http
        startupProbe:
          exec:
            command: [cat, /tmp/ready]
          failureThreshold: 30
        envFrom:
        - configMapRef:
            name: settings
        - secretRef:
            name: token
          prefix: SECRET_
        env:
        - name: MODE
          valueFrom:
            configMapKeyRef:
              name: settings
              key: mode
        - name: PASSWORD
          valueFrom:
            secretKeyRef:
              name: token
              key: password
              optional: true
        - name: MEM
          valueFrom:
            resourceFieldRef:
              resource: limits.memory
              divisor: 1Mi
        - name: CPU
          valueFrom:
            resourceFieldRef:
              containerName: app
              resource: requests.cpu
              divisor: 1m
        - name: MULTI
          value: |-
            line one
            line two
        - name: NS
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        - name: IP
          valueFrom:
            fieldRef:
              fieldPath: status.podIP
        volumeMounts:
        - name: config
          mountPath: /etc/app
          readOnly: true
        - name: secret
          mountPath: /etc/secret
        - name: scratch
          mountPath: /scratch
          subPath: app
        - name: info
          mountPath: /etc/info
        - name: host
          mountPath: /host
      volumes:
      - name: config
        configMap:
          name: settings
      - name: secret
        secret:
          secretName: token
          optional: true
      - name: scratch
        emptyDir:
          medium: Memory
          sizeLimit: 64Mi
      - name: info
        downwardAPI:
          items:
          - path: labels
            fieldRef:
              fieldPath: metadata.labels
          - path: cpu
            resourceFieldRef:
              containerName: app
              resource: limits.cpu
      - name: host
        hostPath:
          path: /var/log
          type: Directory
      - name: claim
        persistentVolumeClaim:
          claimName: claim
          readOnly: true
      - name: both
        projected:
          sources:
          - configMap:
              name: settings
              optional: false
          - secret:
              name: token
`;

/** Kinds a student writes by hand: RBAC, storage and ingress classes, autoscalers, network policies. */
const moreKinds = `apiVersion: v1
kind: Namespace
metadata:
  name: demo
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader
  namespace: demo
rules:
- apiGroups: [""]
  resources: [pods, pods/log, services]
  verbs: [get, list, watch]
- apiGroups: [apps]
  resources: [deployments, deployments/scale]
  verbs: [get, update]
- apiGroups: [""]
  resources: [configmaps]
  resourceNames: [settings, other]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: watcher
  labels:
    team: ops
rules:
- apiGroups: ["", apps, batch]
  resources: [pods, deployments, jobs]
  verbs: [list, watch]
- nonResourceURLs: [/healthz, /metrics]
  verbs: [get]
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-pods
  namespace: demo
subjects:
- kind: User
  name: jane
  apiGroup: rbac.authorization.k8s.io
- kind: ServiceAccount
  name: robot
  namespace: demo
- kind: Group
  name: devs
  apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: Role
  name: reader
  apiGroup: rbac.authorization.k8s.io
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: watch-all
subjects:
- kind: Group
  name: ops
  apiGroup: rbac.authorization.k8s.io
roleRef:
  kind: ClusterRole
  name: watcher
  apiGroup: rbac.authorization.k8s.io
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: rancher.io/local-path
parameters:
  type: ssd
  zone: a
reclaimPolicy: Retain
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: true
mountOptions: [noatime]
allowedTopologies:
- matchLabelExpressions:
  - key: topology.kubernetes.io/zone
    values: [zone-a, zone-b]
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: slow
provisioner: kubernetes.io/no-provisioner
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
  parameters:
    apiGroup: k8s.example.com
    kind: IngressParameters
    name: external-lb
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
  namespace: demo
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 2
  maxReplicas: 10
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 60
  - type: Resource
    resource:
      name: memory
      target:
        type: AverageValue
        averageValue: 100Mi
  - type: Pods
    pods:
      metric:
        name: requests-per-second
      target:
        type: AverageValue
        averageValue: "1k"
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 300
      policies:
      - type: Percent
        value: 10
        periodSeconds: 60
    scaleUp:
      selectPolicy: Max
      policies:
      - type: Pods
        value: 4
        periodSeconds: 15
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-access
  namespace: demo
spec:
  podSelector:
    matchLabels:
      app: db
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: web
    - namespaceSelector:
        matchLabels:
          team: ops
      podSelector:
        matchExpressions:
        - key: tier
          operator: In
          values: [backend]
    - ipBlock:
        cidr: 10.0.0.0/8
        except: [10.1.0.0/16]
    ports:
    - protocol: TCP
      port: 6379
    - port: 8000
      endPort: 8080
  - {}
  egress:
  - to:
    - namespaceSelector: {}
  - ports:
    - port: 53
      protocol: UDP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
  namespace: demo
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: v1
kind: Service
metadata:
  name: np
  namespace: demo
spec:
  type: NodePort
  selector:
    app: web
  sessionAffinity: ClientIP
  externalTrafficPolicy: Local
  ports:
  - name: http
    port: 80
    targetPort: http
    nodePort: 30080
  - name: https
    port: 443
    protocol: TCP
---
apiVersion: v1
kind: Service
metadata:
  name: lb
  namespace: demo
spec:
  type: LoadBalancer
  selector:
    app: web
  externalIPs: [192.0.2.10]
  loadBalancerSourceRanges: [10.0.0.0/8]
  ports:
  - port: 8080
    protocol: UDP
---
apiVersion: v1
kind: Service
metadata:
  name: ext
  namespace: demo
spec:
  type: ExternalName
  externalName: db.example.com
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: edge
  namespace: demo
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: np
      port:
        name: http
  tls:
  - hosts: [a.example.com, b.example.com]
    secretName: edge-tls
  - hosts: [c.example.com]
  rules:
  - host: a.example.com
    http:
      paths:
      - path: /api
        pathType: Prefix
        backend:
          service:
            name: missing
            port:
              number: 80
      - path: /static
        pathType: ImplementationSpecific
        backend:
          resource:
            apiGroup: k8s.example.com
            kind: StorageBucket
            name: static-assets
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: lb
            port:
              number: 8080
  - host: nohttp.example.com
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: bare
  namespace: demo
spec:
  defaultBackend:
    service:
      name: np
      port:
        number: 443
`;

/** A lab served over HTTP, with a kubeconfig for the real kubectl: a bare control plane, or KUBEADM_CLUSTER. */
class ServedLab {
  readonly lab: Lab;
  private server: Server | undefined;
  private dir = '';
  private env: NodeJS.ProcessEnv = {};
  private transport: HttpTransport | undefined;

  constructor(cluster = false) {
    this.lab = new Lab({ seed: 7, ...(cluster ? { cluster: KUBEADM_CLUSTER } : {}) });
  }

  async start(): Promise<void> {
    this.lab.cluster.authenticator.add(ADMIN_TOKEN, ADMIN_USER);
    await this.lab.cluster.apiserver.openapi.load();
    this.server = await startServer(this.lab.cluster, 0, (e) => {
      throw e;
    });
    const port = (this.server.address() as AddressInfo).port;
    this.dir = mkdtempSync(join(tmpdir(), 'kubelab-diff-'));
    writeKubeconfig(join(this.dir, 'config'), port);
    // The lab prints times in UTC; so must the real kubectl, whatever the machine's zone.
    this.env = { PATH: process.env.PATH, HOME: this.dir, KUBECONFIG: join(this.dir, 'config'), TZ: 'UTC' };
    this.transport = new HttpTransport(`http://127.0.0.1:${port}`, ADMIN_TOKEN);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * Move the lab's virtual clock by `duration` once it has booted, timer by timer with a macrotask
   * between them (as TestCluster.tick), so the twin labs run the same timers with the same continuations.
   */
  async tick(duration: string): Promise<void> {
    await this.lab.cluster.boot();
    await advanceSettled(this.lab.clock, parseDuration(duration), settle);
  }

  /** The real kubectl against this lab. */
  real(line: string, input = '', env: Record<string, string> = {}): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const child = execFile(KUBECTL, words(line), { env: { ...this.env, ...env }, timeout: 20_000 }, (error, stdout, stderr) => {
        resolve({ stdout, stderr, code: error ? ((error as { code?: number }).code ?? 1) : 0 });
      });
      child.stdin?.end(input);
    });
  }

  /** The lab's kubectl against this lab, over HTTP as the real one. */
  async ours(line: string, input = '', env: Record<string, string> = {}): Promise<KubectlResult> {
    const transport = this.transport;
    if (!transport) throw new Error('the lab is not served');
    const target = { clock: this.lab.clock, fs: this.lab.fs, kube: { transport } };
    if (!/^(diff|edit)\b/.test(line)) return runKubectl(target, line, input);
    // kubectl diff and edit run diff and the editor through the shell: run them in a lab shell (with an
    // rng of its own, so the twin labs stay in step), with the step's environment and stdin.
    const quote = (w: string) => `'${w.replace(/'/g, "'\\''")}'`;
    this.lab.fs.writeFile('/home/student/.stdin', input);
    const session = new Session({ id: 'kubectl', clock: this.lab.clock, rng: new SeededRng(1), commands: builtinCommands(), tty: false, fs: this.lab.fs, kube: { transport } });
    let stdout = '';
    let stderr = '';
    session.onDidWrite((c) => (c.stream === 'stdout' ? (stdout += c.text) : (stderr += c.text)));
    const assignments = Object.entries(env).map(([k, v]) => `${k}=${quote(v)} `).join('');
    const code = await session.run(`${assignments}kubectl ${words(line).map(quote).join(' ')} < /home/student/.stdin\n`);
    return { stdout, stderr, code };
  }
}

/** A kubectl command line (with its stdin and environment), or `tick <duration>`: move both labs' clocks. */
type Step = [line: string, input?: string, env?: Record<string, string>];

const TICK = /^tick (\S+)$/;

/**
 * The ages kubectl describe computes on the client: the real kubectl against the wall clock, the lab's
 * against the virtual one. Each becomes `AGE`: in an Events table the Age column (its counts kept:
 * `AGE (x3 over AGE)`, the column's width dropped), in a Node's pods table the Age column, and the
 * `Terminating (lasts …)` of a pod, volume or claim.
 */
function withoutAges(text: string): string {
  const lines = text.split('\n');
  /** The Age column of the table being read: where it starts, and where the next column starts. */
  let column: { start: number; end: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const header = /^(\s+Type\s+Reason\s+)Age(\s+)From\b/.exec(line) ?? /^(\s+Namespace\s+Name\s+.*\S\s+)Age()$/.exec(line);
    if (header) {
      const start = header[1]!.length;
      column = { start, end: header[2] ? start + 3 + header[2].length : Infinity };
    } else if (!column || !/^\s+\S/.test(line)) {
      column = undefined;
      lines[i] = line.replace(/\(lasts [^)]*\)/, '(lasts AGE)');
      continue;
    }
    const cell = line.slice(column.start, column.end).trimEnd();
    lines[i] = `${line.slice(0, column.start)}${cell.replace(/\b\d+(?:[smhdy]\d*)+\b|<invalid>|<unknown>/g, 'AGE')} ${line.slice(column.end)}`;
  }
  return lines.join('\n');
}

/**
 * A Secret's and a ConfigMap's data sorted by key: kubectl 1.32 describes them in Go's map order, which
 * differs from run to run (the lab prints them sorted).
 */
function withSortedData(text: string): string {
  const sorted = (parts: string[]) => [...parts].sort().join('');
  return text
    .replace(/\nData\n====\n([\s\S]*?)\nBinaryData\n====\n((?:[^\n]+\n)*)/g, (_m, data: string, binary: string) => {
      const blocks = data.split(/(?=^[^\n]*:\n----\n)/m);
      return `\nData\n====\n${sorted(blocks)}\nBinaryData\n====\n${sorted(binary.split(/(?<=\n)/))}`;
    })
    .replace(/\nData\n====\n((?:[^\s:][^\n]*: +\S[^\n]*\n)+)/g, (_m, lines: string) => `\nData\n====\n${sorted(lines.split(/(?<=\n)/))}`);
}

/**
 * What differs from run to run and between the two sides by nature, not by behaviour: the random names of
 * kubectl diff's and edit's temporary files, the files' times in diff's headers, describe's ages (wall
 * clock against the lab's virtual clock), the order of describe's data keys, and the Go pointer
 * addresses describe prints for a projected volume's `Optional` (the lab prints stand-ins of the same width).
 */
function normalized(result: KubectlResult): KubectlResult {
  const clean = (text: string) =>
    withSortedData(withoutAges(text))
      .replace(/\b0xc[0-9a-f]{9}\b/g, '0xcADDRESS')
      .replace(/\/tmp\/(LIVE|MERGED)-\d+/g, '/tmp/$1-N')
      .replace(/\/tmp\/kubectl-edit-\d+\.(yaml|json)/g, '/tmp/kubectl-edit-N.$1')
      .replace(/\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} [+-]\d{4}$/gm, '\tTIME');
  return { ...result, stdout: clean(result.stdout), stderr: clean(result.stderr) };
}

interface Scenario {
  /** Run on a full cluster (KUBEADM_CLUSTER: nodes, controllers, scheduler, addons) instead of a bare control plane. */
  cluster?: boolean;
  /**
   * Run by the real kubectl on both labs before the steps; a setup step's stdin may be computed from the
   * lab it is about to be written to (reads only, such as an object's uid).
   */
  setup: Array<Step | [line: string, input: (side: ServedLab) => Promise<string>]>;
  steps: Step[];
}

const scenarios: Record<string, Scenario> = {
  'reading objects': {
    setup: [['apply -f -', manifest]],
    steps: [
      ['get deploy -n demo'],
      ['get deploy,cm -n demo'],
      ['get deploy,cm -n demo -o name'],
      ['get cm -A -l app=web'],
      ['get cm -n demo --show-labels'],
      ['get cm -n demo -L app'],
      ['get cm -n demo --no-headers'],
      ['get cm -A --no-headers'],
      ['get cm cfg -n demo -o jsonpath={.data.greeting}'],
      ['get cm cfg -n demo -o json'],
      ['get cm cfg -n demo -o yaml'],
      ['get cm -n demo -o yaml'],
      ['get ns demo -o yaml'],
      ['get deploy/web -n demo'],
      ['get pods'],
      ['get pods -A'],
      ['get ns'],
      ['get cm -n demo -o custom-columns=NAME:.metadata.name,GREETING:.data.greeting,LABELS:.metadata.labels'],
      ['get cm -A -o custom-columns=NS:.metadata.namespace,NAME:.metadata.name --sort-by=.metadata.name --no-headers'],
      ["get cm -A -o 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{\"\\n\"}{end}'"],
      ['get cm -A --sort-by=.metadata.name'],
      ['get cm -A --sort-by={.metadata.name} -o name'],
      ['get cm,deploy -A -L app --show-labels'],
      ['get ns --sort-by=.metadata.name -L kubernetes.io/metadata.name'],
      ['get --raw /api/v1/namespaces/demo/configmaps/cfg'],
      ['get --raw /api/v1/namespaces/demo/configmaps?labelSelector=app%3Dweb'],
      ['get --raw /api/v1/namespaces/demo/configmaps/nope'],
      ['get --raw /api/v1 pods'],
      ['get --raw api/v1'],
      ['api-versions'],
      ['auth can-i create pods'],
      ['auth can-i delete nodes'],
    ],
  },
  describing: {
    setup: [['apply -f -', manifest], ['apply -f -', extras]],
    steps: [
      ['describe cm cfg -n demo'],
      ['describe cm -n demo'],
      ['describe configmaps -n demo -l app=web'],
      ['describe cm c -n demo'],
      ['describe secret token -n demo'],
      ['describe sa robot -n demo'],
      ['describe svc web -n demo'],
      ['describe ns demo'],
      ['describe deploy web -n demo --show-events=false'],
      ['describe cm -l app=nothing'],
      ['describe cm -A -l app=nothing'],
      ['describe cm nope -n demo'],
      ['describe'],
      ['describe podz'],
    ],
  },
  'describing a cluster: a Deployment through a rollout': {
    cluster: true,
    setup: [['tick 30s'], ['apply -f -', manifest], ['apply -f -', extras], ['tick 30s']],
    steps: [
      ['describe node worker-1'],
      ['describe nodes'],
      ['describe pods -n demo'],
      ['describe deploy web -n demo'],
      ['describe rs -n demo'],
      ['describe svc web -n demo'],
      ['describe endpoints web -n demo'],
      ['describe endpointslices -n demo'],
      ['describe cm -n demo'],
      ['describe secret -n demo'],
      ['describe sa -n demo'],
      ['describe ns demo'],
      ['set image deploy/web -n demo nginx=nginx:1.28'],
      ['describe deploy web -n demo'],
      ['tick 2s'],
      ['describe deploy web -n demo'],
      ['describe rs -n demo'],
      ['describe pods -n demo'],
      ['tick 1m'],
      ['describe deploy web -n demo'],
      ['describe rs -n demo'],
      ['scale deploy web -n demo --replicas=4'],
      ['tick 30s'],
      ['describe deploy web -n demo'],
      ['describe node worker-2'],
      ['delete pods -n demo -l app=web --wait=false'],
      ['describe pods -n demo'],
      ['tick 1s'],
      ['describe pods -n demo'],
      ['tick 1m'],
      ['describe deploy web -n demo'],
      ['describe svc web -n demo'],
      ['describe controllerrevisions -n kube-system'],
      ['describe events -n demo -l nothing=here'],
      ['delete ns demo --wait=false'],
      ['tick 100ms'],
      ['describe ns demo'],
      ['describe pods -n demo'],
    ],
  },
  'describing a cluster: a pod template with everything': {
    cluster: true,
    setup: [['tick 30s'], ['apply -f -', manifest], ['apply -f -', extras], ['apply -f -', kitchenSink], ['tick 30s']],
    steps: [
      ['describe deploy sink -n demo'],
      ['describe rs -n demo -l app=sink'],
      ['describe pods -n demo -l app=sink'],
      ['describe cm settings -n demo'],
      ['describe priorityclass important'],
      ['describe node worker-1'],
      ['cordon worker-1'],
      ['taint node worker-1 dedicated=db:NoSchedule'],
      ['taint node worker-1 gpu:NoExecute'],
      ['label node worker-1 node-role.kubernetes.io/db='],
      ['describe node worker-1'],
      ['describe nodes -l node-role.kubernetes.io/db'],
    ],
  },
  'streams on a cluster: logs, exec and their errors': {
    cluster: true,
    setup: [
      ['tick 1m'],
      ['run talker --image=busybox --restart=Never -- sh -c "echo one;echo two;echo three"'],
      ['run box --image=busybox -- sleep 3600'],
      ['tick 20s'],
    ],
    steps: [
      ['logs talker'],
      ['logs talker --tail=1'],
      ['logs -f talker'],
      ['logs talker --previous'],
      ['logs box'],
      ['exec box -- hostname'],
      ['exec box -- cat /etc/hostname /nope'],
      ['exec box -- sh -c "exit 3"'],
      ['exec -i box -- wc -l', 'a\nb\nc\n'],
      ['exec box -c nope -- true'],
      ['exec box -- /no/such/binary'],
      ['exec nopod -- true'],
      ['exec talker -- true'],
    ],
  },
  'describing a cluster: the kube-system namespace': {
    cluster: true,
    setup: [['tick 1m']],
    steps: [
      ['describe node control-plane'],
      ['describe pods -n kube-system'],
      ['describe ds -n kube-system'],
      ['describe deploy -n kube-system'],
      ['describe rs -n kube-system'],
      ['describe svc -n kube-system'],
      ['describe endpoints -n kube-system'],
      ['describe cm -n kube-system'],
      ['describe sa -n kube-system'],
      ['describe lease -n kube-system'],
      ['describe lease -n kube-node-lease'],
      ['describe ns'],
      ['describe svc kubernetes'],
      ['describe endpoints kubernetes'],
    ],
  },
  'describing a cluster: every kind': {
    cluster: true,
    setup: [['tick 30s'], ['apply -f -', manifest], ['apply -f -', extras], ['apply -f -', workloads], ['apply -f -', workloadVariants], ['tick 10s']],
    steps: [
      ['describe pod hungry -n demo'],
      ['describe pod picky -n demo'],
      ['describe sts db -n demo'],
      ['describe ds agent -n demo'],
      ['describe job once -n demo'],
      ['describe cronjob tick -n demo'],
      ['describe quota -n demo'],
      ['describe limits -n demo'],
      ['describe pdb -n demo'],
      ['describe pv'],
      ['describe pvc -n demo'],
      ['describe ingress -n demo'],
      ['describe ns demo'],
      ['describe svc -n demo'],
      ['tick 1m'],
      ['describe pods -n demo'],
      ['describe sts -n demo'],
      ['describe ds -n demo'],
      ['describe jobs -n demo'],
      ['describe cronjobs -n demo'],
      ['describe quota -n demo'],
      ['describe pdb -n demo'],
      ['describe endpointslices -n demo'],
      ['describe nodes'],
      ['describe deploy recreate -n demo'],
      ['label node worker-2 logging=on'],
      ['tick 10s'],
      ['describe ds logger -n demo'],
      ['describe pods -n demo -l app=logger'],
      ['patch job paused -n demo -p \'{"spec":{"suspend":false}}\''],
      ['tick 30s'],
      ['describe jobs -n demo'],
    ],
  },
  'describing pod states a kubelet writes': {
    setup: [
      ['apply -f -', handMadePods],
      ...Object.entries(handMadeStatuses).map(([pod, status]): Step => [`patch pod ${pod} --subresource=status --type=merge -p '${JSON.stringify({ status })}'`]),
      [
        'create -f -',
        async (side) => {
          const names = (await side.real('get pods -o jsonpath={.items[*].metadata.name}')).stdout.split(' ');
          const uids = (await side.real('get pods -o jsonpath={.items[*].metadata.uid}')).stdout.split(' ');
          return handMadeEvents(Object.fromEntries(names.map((name, i) => [name, uids[i] ?? ''])));
        },
      ],
    ],
    steps: [
      ['describe pod crashy'],
      ['describe pod evicted'],
      ['describe pods --show-events=false'],
      ['delete pod crashy --wait=false'],
      ['describe pod crashy'],
    ],
  },
  'describing RBAC, classes, autoscalers and network policies': {
    setup: [['apply -f -', moreKinds]],
    steps: [
      ['describe role reader -n demo'],
      ['describe clusterrole watcher'],
      ['describe rolebinding read-pods -n demo'],
      ['describe clusterrolebinding watch-all'],
      ['describe clusterrole admin'],
      ['describe clusterrole system:kube-scheduler'],
      ['describe clusterrolebinding cluster-admin'],
      ['describe sc'],
      ['describe ingressclass nginx'],
      ['describe hpa -n demo'],
      ['describe netpol -n demo'],
      ['describe svc -n demo'],
      ['describe ingress -n demo'],
      ['delete ns demo --wait=false'],
      ['describe ns demo'],
    ],
  },
  'changing objects': {
    setup: [],
    steps: [
      ['apply -f -', manifest],
      ['apply -f -', manifest],
      ['label cm cfg -n demo tier=x'],
      ['label cm cfg -n demo tier=y'],
      ['label cm cfg -n demo tier=y --overwrite'],
      ['label cm cfg -n demo tier-'],
      ['label cm cfg -n demo nope-'],
      ['label cm cfg -n demo tier-'],
      ['annotate cm cfg -n demo note=hi'],
      ['patch cm cfg -n demo -p {"data":{"a":"b"}}'],
      ['patch cm cfg -n demo -p {"data":{"a":"b"}}'],
      ['patch cm cfg -n demo --type merge -p {"data":{"a":"c"}}'],
      ['get cm cfg -n demo -o yaml'],
      ['scale deploy web -n demo --replicas=3'],
      ['delete cm cfg -n demo'],
      ['delete cm cfg -n demo'],
      ['delete cm -n demo -l app=nothing'],
      ['delete -f - --wait=false', manifest],
      ['create -f -', manifest],
    ],
  },
  'creating twice': {
    setup: [],
    steps: [
      ['create -f -', manifest],
      ['create -f -', manifest],
    ],
  },
  'rollouts, waits and nodes': {
    setup: [['apply -f -', manifest], ['apply -f -', 'apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n']],
    steps: [
      ['wait --for=condition=Available deploy/web -n demo --timeout=0'],
      ['wait --for=jsonpath={.spec.replicas}=2 deploy/web -n demo'],
      ['wait --for=jsonpath={.spec.replicas}=2 deploy -n demo --all'],
      ['wait --for=condition=Available deploy -n demo --all --timeout=0'],
      ['wait --for=delete deploy/nope -n demo'],
      ['wait --for=condition=Available deploy/nope -n demo'],
      ['wait --for=condition=Available deploy -n demo'],
      ['wait --for=foo deploy/web -n demo'],
      ['rollout status deploy/web -n demo --watch=false'],
      ['rollout status cm/cfg -n demo'],
      ['rollout history deploy/web -n demo'],
      ['rollout history deploy/web -n demo --revision=1'],
      ['rollout history cm/cfg -n demo'],
      ['rollout undo deploy/web -n demo'],
      ['rollout undo deploy/web -n demo --to-revision=2'],
      ['rollout undo cm/cfg -n demo'],
      ['rollout pause deploy/web -n demo'],
      ['rollout pause deploy/web -n demo'],
      ['rollout restart deploy/web -n demo'],
      ['rollout resume deploy/web -n demo'],
      ['rollout resume deploy/web -n demo'],
      ['rollout pause cm/cfg -n demo'],
      ['rollout restart cm/cfg -n demo'],
      ['set image deploy/web -n demo nginx=nginx:1.28'],
      ['set image deploy/web -n demo nginx=nginx:1.28'],
      ['set image deploy/web -n demo foo=bar'],
      ['set image deploy/web -n demo'],
      ['set image cm/cfg -n demo a=b'],
      ['set env deploy/web -n demo A=1 B=2'],
      ['set env deploy/web -n demo A=1'],
      ['set env deploy/web -n demo A-'],
      ['set env deploy/web -n demo --list'],
      ['set env deploy/web -n demo -c foo X=1'],
      ['set resources deploy/web -n demo --limits=cpu=200m,memory=512Mi'],
      ['set resources deploy/web -n demo --limits=cpu=200m,memory=512Mi'],
      ['set resources deploy/web -n demo'],
      ['get deploy web -n demo -o jsonpath={.spec.template.spec.containers}'],
      ['replace -f -', manifest],
      ['replace'],
      ['cordon n1'],
      ['cordon n1'],
      ['uncordon n1'],
      ['uncordon n1'],
      ['cordon nope'],
      ['drain n1'],
      ['drain n1 --force'],
      ['taint nodes n1 k=v:NoSchedule'],
      ['taint nodes n1 k=w:NoSchedule'],
      ['taint nodes n1 k=w:NoSchedule --overwrite'],
      ['get node n1 -o jsonpath={.spec}'],
      ['taint nodes n1 k-'],
      ['taint nodes n1 k-'],
      ['taint nodes n1 k'],
      ['taint nodes n1 k=v:Foo'],
      ['events -n demo'],
      ['events -A'],
      ['events --types=Foo'],
      ['events --for web'],
      ['autoscale cm cfg -n demo --max=2'],
      ['autoscale deploy web -n demo --max=3 --cpu-percent=80'],
      ['autoscale deploy web -n demo --min=2 --max=5 --dry-run=client -o yaml'],
      ['replace --force -f -', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\n  namespace: demo\ndata:\n  a: b\n'],
      ['set image -f - nginx=nginx:1.29 --local -o yaml', manifest.split('---\n')[1] ?? ''],
      ['set resources -f - --limits=cpu=1 --local -o yaml', manifest.split('---\n')[1] ?? ''],
    ],
  },
  'create generators, run and expose': {
    setup: [],
    steps: [
      ['create deployment web --image=nginx --port=80'],
      ['create deployment web --image=nginx'],
      ['create deployment web2 --image=nginx --replicas=2 --dry-run=server'],
      ['create deployment web2 --image=nginx --dry-run=client -o yaml'],
      ['create ns demo'],
      ['create ns demo'],
      ['create cm cfg --from-literal=a=b -o name'],
      ['create cm cfg --from-literal=a=b'],
      ['create secret generic s --from-literal=a=b'],
      ['create secret generic s --from-literal=a=b'],
      ['create secret docker-registry reg --docker-username=u --docker-password=p'],
      ['create sa bot'],
      ['create sa bot'],
      ['create svc clusterip web-svc --tcp=80:8080'],
      ['create svc clusterip web-svc --tcp=80:8080'],
      ['create svc nodeport np --tcp=80'],
      ['create svc loadbalancer lb --tcp=80'],
      ['create svc externalname en --external-name=example.com'],
      ['create svc externalname en --external-name=example.com'],
      ['create job j --image=busybox -- echo hi'],
      ['create job j --image=busybox'],
      ["create cronjob c --image=busybox --schedule='*/5 * * * *'"],
      ["create cronjob c --image=busybox --schedule='*/5 * * * *'"],
      ['create job manual --from=cronjob/c -o yaml'],
      ['create job manual2 --from=cronjob/nope'],
      ['create quota q --hard=pods=2,cpu=1'],
      ['create quota q --hard=pods=2'],
      ['create role r --verb=get --resource=pods'],
      ['create role r --verb=get --resource=pods'],
      ['create clusterrole cr --verb=get,list --resource=deploy,rs'],
      ['create clusterrole cr --verb=get --resource=pods'],
      ['create rolebinding rb --role=r --user=jane'],
      ['create rolebinding rb --role=r --user=jane'],
      ['create clusterrolebinding crb --clusterrole=cr --group=devs'],
      ['create clusterrolebinding crb --clusterrole=cr --group=devs'],
      ['create ingress ing --rule=a.com/=web:80'],
      ['create ingress ing --rule=a.com/=web:80'],
      ['create priorityclass high --value=1000'],
      ['create priorityclass high --value=1000'],
      ['create pdb p --selector=app=web --min-available=1'],
      ['create pdb p --selector=app=web --min-available=1'],
      ['create token default'],
      ['create token bot --duration=10m'],
      ['run p --image=nginx --labels=app=web'],
      ['run p --image=nginx --dry-run=client -o yaml'],
      ['run big --image=busybox --overrides={"spec":{"nodeName":"worker-1","containers":[{"name":"big","image":"busybox","resources":{"requests":{"cpu":"64"}}}]}} --dry-run=client -o yaml'],
      ['run big --image=busybox --override-type=strategic --overrides={"spec":{"containers":[{"name":"big","resources":{"requests":{"cpu":"64"}}}]}} --dry-run=client -o yaml'],
      ['run big --image=busybox --override-type=json --overrides=[{"op":"add","path":"/spec/nodeName","value":"w"}] --dry-run=client -o json'],
      ['run big --image=busybox --overrides={bad --dry-run=client -o yaml'],
      ['run big --image=busybox --override-type=strategic --overrides={bad --dry-run=client -o yaml'],
      ['run big --image=busybox --override-type=json --overrides=[{"op":"remove","path":"/spec/nope"}] --dry-run=client'],
      ['run big --image=busybox --overrides=[1] --dry-run=client'],
      ['run big --image=busybox --override-type=foo --overrides={} --dry-run=client'],
      ['expose deployment web --port=8080 --target-port=80'],
      ['expose deployment web --port=8080'],
      ['expose deploy web --name=web-np --type=NodePort --dry-run=client -o yaml'],
      ['expose svc web-svc --name=web3 --dry-run=client -o yaml'],
      ['expose deploy nope --port=80'],
      ['expose'],
      ['expose deployment'],
      ['create foo'],
      ['create secret'],
    ],
  },
  explaining: {
    setup: [],
    steps: [
      ['explain pods'],
      ['explain pods.spec'],
      ['explain deployment.spec.strategy'],
      ['explain svc.spec.type'],
      ['explain pods.spec.containers.resources --recursive'],
      ['explain cronjobs.spec --api-version=batch/v1'],
      ['explain deployments.apps.spec.replicas'],
      ['explain nodes.status.capacity'],
      ['explain pods.spec.nope'],
      ['explain podz'],
      ['explain pods --api-version=apps/v1'],
      ['explain pods -o json'],
      ['explain deployment --output plaintext-openapiv2'],
      ['explain'],
      ['explain pods svc'],
    ],
  },
  'diff, edit and impersonation': {
    setup: [['apply -f -', manifest], ['apply -f -', extras]],
    steps: [
      ['diff -f -', manifest],
      ['diff -f -', changed],
      ['diff -f -', fresh],
      ['diff -f - -l app=web', `${changed}---\n${fresh}`],
      ['diff -f -', secretChanged],
      ['diff -f -', changed, { KUBECTL_EXTERNAL_DIFF: 'diff -q' }],
      ['diff -f -', changed, { KUBECTL_EXTERNAL_DIFF: 'diff -U1 /x' }],
      ['diff -f -', changed, { KUBECTL_EXTERNAL_DIFF: 'nodiff' }],
      ['diff -f -', changed, { KUBECTL_EXTERNAL_DIFF: 'diff --nope' }],
      ['diff -f - --server-side', changed],
      ['diff -f - --force-conflicts', changed],
      ['diff -f - -n nons', fresh.replace('  namespace: demo\n', '')],
      ['diff'],
      ['diff --foo'],
      ['diff -f - extra', manifest],
      ['diff -f /nope.yaml'],
      ['edit cm cfg -n demo', '', { KUBE_EDITOR: 'sed -i /greeting:/s/hello$/bye/' }],
      ['get cm cfg -n demo -o jsonpath={.data.greeting}'],
      ['edit cm cfg -n demo', '', { KUBE_EDITOR: 'true' }],
      ['edit cm cfg -n demo', '', { KUBE_EDITOR: 'nonexistent' }],
      ['edit cm cfg -n demo', '', { KUBE_EDITOR: 'false' }],
      ['edit cm cfg -n demo -o json --output-patch', '', { KUBE_EDITOR: 'sed -i /greeting/s/bye/hi/' }],
      ['edit cm/cfg -n demo -o yaml', '', { KUBE_EDITOR: 'sed -i /greeting:/s/hi$/yo/' }],
      ['edit cm cfg -n demo -o name', '', { KUBE_EDITOR: 'true' }],
      ['edit deploy web -n demo', '', { KUBE_EDITOR: 'sed -i /replicas:/s/2$/-1/' }],
      ['edit cm cfg -n demo', '', { KUBE_EDITOR: 'sed -i /name:.cfg/s/cfg/cfx/' }],
      ['edit cm cfg -n demo --save-config', '', { KUBE_EDITOR: 'sed -i /greeting:/s/yo$/ok/' }],
      ['get cm cfg -n demo -o yaml'],
      ['edit'],
      ['edit cm nope -n demo', '', { KUBE_EDITOR: 'true' }],
      ['auth can-i list pods --as=system:serviceaccount:default:x'],
      ['auth can-i list pods --as=system:serviceaccount:demo:robot -n demo'],
      ['auth can-i list pods --as=bob --as-group=system:masters'],
      ['get pods -n demo --as=bob'],
      ['get pods --as-group=g'],
      ['get pods --as-uid=u'],
    ],
  },
  errors: {
    setup: [],
    steps: [
      ['get podz'],
      ['get pod nope'],
      ['get'],
      ['get --foo'],
      ['get -n'],
      ['get pods -l app=='],
      ['get pods -l ,'],
      ['apply -f /nowhere.yaml'],
      ['foo'],
      ['gett'],
      ['ap'],
      ['DESCRIB'],
      ['qqqqq'],
      ['config foo'],
      ['auth foo'],
    ],
  },
};

describe.skipIf(!available).each(Object.entries(scenarios))('the lab kubectl and the real kubectl 1.32 agree: %s', (_name, scenario) => {
  const theirs = new ServedLab(scenario.cluster);
  const ours = new ServedLab(scenario.cluster);
  /** Both labs' clocks, moved the same way one after the other. */
  const tick = async (duration: string) => {
    for (const side of [theirs, ours]) await side.tick(duration);
  };

  beforeAll(async () => {
    await Promise.all([theirs.start(), ours.start()]);
    for (const [line, input] of scenario.setup) {
      const ticking = TICK.exec(line);
      if (ticking) {
        await tick(ticking[1]!);
        continue;
      }
      for (const side of [theirs, ours]) {
        const result = await side.real(line, typeof input === 'function' ? await input(side) : input);
        if (result.code !== 0) throw new Error(`setup: kubectl ${line}: ${result.stderr}`);
      }
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all([theirs.stop(), ours.stop()]);
  });

  it.each(scenario.steps)('kubectl %s', async (line, input, env) => {
    const ticking = TICK.exec(line);
    if (ticking) {
      await tick(ticking[1]!);
      // Both labs keep in step: the same time, the same objects.
      expect(ours.lab.clock.now()).toBe(theirs.lab.clock.now());
      return;
    }
    const want = await theirs.real(line, input, env);
    const got = await ours.ours(line, input, env);
    expect(normalized(got)).toEqual(normalized(want));
  });
});
