/** The side panel of the object graph: the selected object's fields, as the record carries them. */
import { useTranslation } from 'react-i18next';
import type { ObjectRecord } from '../../../engine/cluster/clusterView.ts';
import styles from './objectGraph.module.css';

const KIND: Record<string, string> = {
  deployments: 'Deployment',
  replicasets: 'ReplicaSet',
  daemonsets: 'DaemonSet',
  statefulsets: 'StatefulSet',
  pods: 'Pod',
  endpointslices: 'EndpointSlice',
  services: 'Service',
};

const labelsText = (labels: Readonly<Record<string, string>>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');

export function ObjectDetails({ record, onClose }: { record: ObjectRecord; onClose: () => void }) {
  const { t } = useTranslation();
  const none = t('objectGraph.details.none');
  const rows: Array<[string, string]> = [
    [t('objectGraph.details.namespace'), record.namespace],
    [t('objectGraph.details.labels'), labelsText(record.labels) || none],
    [t('objectGraph.details.owner'), record.owner ? `${record.owner.kind}/${record.owner.name}` : none],
  ];
  switch (record.resource) {
    case 'pods':
      rows.push(['READY', record.ready], ['STATUS', record.status], ['RESTARTS', String(record.restarts)], ['IP', record.ip || none], ['NODE', record.node || none]);
      break;
    case 'deployments':
    case 'replicasets':
    case 'daemonsets':
    case 'statefulsets':
      rows.push([t('objectGraph.details.replicas'), t('objectGraph.details.replicasValue', { ready: record.ready, current: record.current, desired: record.desired })], [t('objectGraph.details.selector'), labelsText(record.selector) || none]);
      break;
    case 'services':
      rows.push(['TYPE', record.type], ['CLUSTER-IP', record.clusterIP || none], ['PORT(S)', record.ports.join(',') || none], [t('objectGraph.details.selector'), labelsText(record.selector) || none]);
      break;
    case 'endpointslices':
      rows.push([t('objectGraph.details.service'), record.service || none], [t('objectGraph.details.endpoints'), record.endpoints.map((e) => `${e.address}${e.pod ? ` (${e.pod})` : ''} ${e.ready ? t('objectGraph.details.ready') : t('objectGraph.details.notReady')}`).join('\n') || none]);
      break;
    default:
      break;
  }
  return (
    <aside className={styles.details} aria-label={t('objectGraph.details.title')} data-testid="object-graph-details">
      <header>
        <div>
          <div className={styles.detailsKind}>{KIND[record.resource] ?? record.resource}</div>
          <div className={styles.detailsName}>{record.name}</div>
        </div>
        <button type="button" onClick={onClose} aria-label={t('objectGraph.details.close')}>
          ✕
        </button>
      </header>
      <dl>
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
