/**
 * The etcd diagram (issue 8): etcd as kube-apiserver uses it, from the worker's `etcd` view — the recent
 * revisions as a strip (each revision's operations and keys; the compacted revision marked, what is before
 * it gone), the `/registry` key tree (open a branch to list its children with their counts; a key shows
 * its create/mod revision and version), and a side panel with the chosen revision's diff, the chosen key's
 * value as stored, or the live watches. A chosen key or revision that has since been deleted or compacted
 * says so. Everything is a button: keyboard-reachable and labelled.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useDiagramFocus } from '../../layout/diagramFocus.ts';
import { useTranslation } from 'react-i18next';
import { useView } from '../../state/useView.ts';
import type { EtcdView, KeyDetail, RevisionDetail, TreeMore, TreeRow, WatchRow } from '../../../workers/views/etcd.ts';
import { formatValue, lineDiff } from './diff.ts';
import styles from './etcd.module.css';

type Panel = 'revision' | 'key' | 'watches';

export function Etcd() {
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState<string[]>(['/registry']);
  const [key, setKey] = useState<string | undefined>();
  const [revision, setRevision] = useState<number | undefined>();
  const [quiet, setQuiet] = useState(true);
  const [panel, setPanel] = useState<Panel>('revision');
  // A lesson's focus (diagramFocus.ts): `key`, shown in the side panel with its branch open.
  const focus = useDiagramFocus('etcd');
  const [focusSeen, setFocusSeen] = useState<number | null>(null);
  if (focus && focus.seq !== focusSeen) {
    setFocusSeen(focus.seq);
    const k = focus.values.key;
    if (k?.startsWith('/registry/')) {
      const parts = k.split('/').slice(1, -1);
      setExpanded((open) => [...new Set([...open, ...parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`)])]);
      setKey(k);
      setPanel('key');
    }
  }
  const args = useMemo(() => ({ expanded, quiet, ...(key !== undefined ? { key } : {}), ...(revision !== undefined ? { revision } : {}) }), [expanded, quiet, key, revision]);
  const view = useView('etcd', args);

  const toggle = (path: string) => setExpanded((open) => (open.includes(path) ? open.filter((p) => p !== path && !p.startsWith(`${path}/`)) : [...open, path]));
  const chooseKey = (k: string) => {
    setKey(k);
    setPanel('key');
  };
  const chooseRevision = (r: number) => {
    setRevision(r);
    setPanel('revision');
  };

  if (view.status === 'error')
    return (
      <p className={styles.error} role="alert">
        {t('etcd.error', { message: view.message })}
      </p>
    );
  if (view.status === 'loading') return <p className={styles.empty}>{t('etcd.loading')}</p>;
  const v = view.value;
  return (
    <section className={styles.root} aria-label={t('etcd.title')} data-testid="etcd">
      <div className={styles.toolbar}>
        <span className={styles.stat} data-testid="etcd-revision">
          {t('etcd.revision', { revision: v.revision })}
        </span>
        <span className={styles.stat}>{t('etcd.keys', { count: v.keyCount })}</span>
        <span className={styles.stat}>{v.compactRevision > 0 ? t('etcd.compacted', { revision: v.compactRevision }) : t('etcd.neverCompacted')}</span>
        <label className={styles.quiet}>
          <input type="checkbox" checked={quiet} onChange={(e) => setQuiet(e.target.checked)} data-testid="etcd-quiet" /> {t('etcd.quiet')}
        </label>
      </div>
      <RevisionStrip view={v} selected={revision} onSelect={chooseRevision} />
      <div className={styles.body}>
        <KeyTree rows={v.tree} selected={key} onToggle={toggle} onSelect={chooseKey} />
        <aside className={styles.panel} aria-label={t('etcd.details')}>
          <div role="tablist" aria-label={t('etcd.details')} className={styles.panelTabs}>
            {(['revision', 'key', 'watches'] as const).map((p) => (
              <button key={p} type="button" role="tab" aria-selected={panel === p} className={styles.panelTab} onClick={() => setPanel(p)} data-testid={`etcd-panel-${p}`}>
                {p === 'watches' ? t('etcd.panel.watches', { count: v.watchCount }) : t(`etcd.panel.${p}`)}
              </button>
            ))}
          </div>
          <div className={styles.panelBody} role="tabpanel">
            {panel === 'revision' && <RevisionPanel detail={v.selectedRevision} />}
            {panel === 'key' && <KeyPanel detail={v.selectedKey} />}
            {panel === 'watches' && <WatchPanel watches={v.watches} total={v.watchCount} revision={v.revision} />}
          </div>
        </aside>
      </div>
    </section>
  );
}

function RevisionStrip({ view, selected, onSelect }: { view: EtcdView; selected: number | undefined; onSelect: (revision: number) => void }) {
  const { t } = useTranslation();
  const strip = useRef<HTMLDivElement | null>(null);
  const latest = view.revisions.at(-1)?.revision;
  // Follow the newest revision as it is written, unless the student scrolled back to look at older ones.
  const following = useRef(true);
  useEffect(() => {
    const el = strip.current;
    if (el && following.current) el.scrollLeft = el.scrollWidth;
  }, [latest]);
  const onScroll = () => {
    const el = strip.current;
    if (el) following.current = el.scrollLeft + el.clientWidth >= el.scrollWidth - 8;
  };
  return (
    <div className={styles.strip} role="list" aria-label={t('etcd.timeline')} data-testid="etcd-revisions" ref={strip} onScroll={onScroll}>
      {view.compactRevision > 0 && (
        <div role="listitem" className={styles.compactMark} title={t('etcd.compactedHint', { revision: view.compactRevision })}>
          &lt; {view.compactRevision}
          <span className={styles.gone}>{t('etcd.gone')}</span>
        </div>
      )}
      {view.revisionsOmitted > 0 && (
        <div role="listitem" className={styles.omitted}>
          {t('etcd.omitted', { count: view.revisionsOmitted })}
        </div>
      )}
      {view.revisions.map((r) => {
        const op = r.changes.every((c) => c.type === 'DELETE') ? 'delete' : r.changes.some((c) => c.type === 'DELETE') ? 'mixed' : r.changes.every((c) => c.version === 1) ? 'create' : 'update';
        const first = r.changes[0]!;
        const label = `${r.revision} ${r.changes.map((c) => `${c.type} ${c.key}`).join(', ')}`;
        return (
          <div role="listitem" key={r.revision}>
            <button
              type="button"
              className={`${styles.rev} ${styles[op]} ${selected === r.revision ? styles.selected : ''}`}
              aria-pressed={selected === r.revision}
              title={label}
              onClick={() => onSelect(r.revision)}
              data-testid="etcd-rev"
              data-revision={r.revision}
              data-changes={label}
            >
              <span className={styles.revNumber}>{r.revision}</span>
              <span className={styles.revOp}>
                {first.type === 'DELETE' ? 'DELETE' : 'PUT'} {resourceOf(first.key)}
                {r.changes.length > 1 ? ` +${r.changes.length - 1}` : ''}
              </span>
              <span className={styles.revKey}>{first.key.slice(first.key.lastIndexOf('/') + 1)}</span>
              <span className="visually-hidden">{r.changes.map((c) => `${c.type} ${c.key}`).join(', ')}</span>
            </button>
          </div>
        );
      })}
      {view.revisions.length === 0 && (
        <div role="listitem" className={styles.empty}>
          {t('etcd.noRevisions')}
        </div>
      )}
    </div>
  );
}

/** The resource segment of a registry key (`/registry/pods/default/web` → `pods`). */
function resourceOf(key: string): string {
  return key.startsWith('/registry/') ? key.slice('/registry/'.length).split('/')[0]! : key;
}

function KeyTree({ rows, selected, onToggle, onSelect }: { rows: Array<TreeRow | TreeMore>; selected: string | undefined; onToggle: (path: string) => void; onSelect: (key: string) => void }) {
  const { t } = useTranslation();
  return (
    <div className={styles.tree} role="group" aria-label={t('etcd.tree')} data-testid="etcd-tree">
      {rows.map((row) => {
        if (!('path' in row)) {
          return (
            <div key={`more:${row.parent}`} className={styles.more} style={{ paddingLeft: row.depth * 16 + 22 }}>
              {t('etcd.more', { count: row.more })}
            </div>
          );
        }
        const isKey = row.key !== undefined;
        return (
          <div key={row.path} className={styles.treeRow} style={{ paddingLeft: row.depth * 16 }} data-path={row.path}>
            {row.branch && !isKey ? (
              <button
                type="button"
                className={styles.branchName}
                onClick={() => onToggle(row.path)}
                aria-expanded={row.open}
                aria-label={t(row.open ? 'etcd.collapse' : 'etcd.expand', { path: row.path })}
                data-testid="etcd-toggle"
              >
                <span className={styles.twisty} aria-hidden>
                  {row.open ? '▾' : '▸'}
                </span>
                {row.name}
              </button>
            ) : (
              <>
                {row.branch ? (
                  <button
                    type="button"
                    className={styles.twistyButton}
                    onClick={() => onToggle(row.path)}
                    aria-expanded={row.open}
                    aria-label={t(row.open ? 'etcd.collapse' : 'etcd.expand', { path: row.path })}
                    data-testid="etcd-toggle"
                  >
                    {row.open ? '▾' : '▸'}
                  </button>
                ) : (
                  <span className={styles.twisty} aria-hidden />
                )}
                <button
                  type="button"
                  className={`${styles.keyName} ${selected === row.path ? styles.selectedKey : ''}`}
                  onClick={() => onSelect(row.path)}
                  aria-label={t('etcd.showKey', { key: row.path })}
                  aria-pressed={selected === row.path}
                  data-testid="etcd-key"
                >
                  {row.name}
                </button>
              </>
            )}
            {row.branch && <span className={styles.count}>{row.keys}</span>}
            {row.key && (
              <span className={styles.meta} title={t('etcd.metaHint')}>
                c{row.key.createRevision} · m{row.key.modRevision} · v{row.key.version}
                {row.key.lease ? ` · lease ${row.key.lease}` : ''}
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
}

function RevisionPanel({ detail }: { detail: RevisionDetail | undefined }) {
  const { t } = useTranslation();
  if (!detail) return <p className={styles.hint}>{t('etcd.pickRevision')}</p>;
  if (detail.state !== 'ok')
    return (
      <p className={styles.warn} data-testid="etcd-revision-gone">
        {detail.state === 'compacted' ? t('etcd.revisionCompacted', { revision: detail.revision }) : t('etcd.revisionFuture', { revision: detail.revision })}
      </p>
    );
  return (
    <div data-testid="etcd-diff">
      <h3 className={styles.panelTitle}>{t('etcd.revisionTitle', { revision: detail.revision })}</h3>
      {detail.changes.map((c) => {
        const lines = lineDiff(c.before === undefined ? undefined : formatValue(c.before), c.after === undefined ? undefined : formatValue(c.after));
        const added = lines.filter((l) => l.op === '+').length;
        const removed = lines.filter((l) => l.op === '-').length;
        return (
          <section key={c.key} className={styles.change}>
            <div className={styles.changeHead}>
              <span className={c.type === 'DELETE' ? styles.opDelete : styles.opPut}>{c.type}</span> <code>{c.key}</code>
              <span className={styles.changeStats}>
                {c.type === 'DELETE' ? t('etcd.deletedKey') : c.version === 1 ? t('etcd.createdKey') : t('etcd.version', { version: c.version })} · +{added} −{removed}
              </span>
            </div>
            <pre className={styles.diff} aria-label={t('etcd.diffOf', { key: c.key })}>
              {lines.map((l, i) =>
                l.op === '…' ? (
                  <div key={i} className={styles.fold}>
                    {t('etcd.unchanged', { count: l.hidden })}
                  </div>
                ) : (
                  <div key={i} className={l.op === '+' ? styles.added : l.op === '-' ? styles.removed : styles.same}>
                    <span className={styles.mark} aria-hidden>
                      {l.op}
                    </span>
                    {l.text}
                  </div>
                ),
              )}
            </pre>
          </section>
        );
      })}
    </div>
  );
}

function KeyPanel({ detail }: { detail: KeyDetail | undefined }) {
  const { t } = useTranslation();
  if (!detail) return <p className={styles.hint}>{t('etcd.pickKey')}</p>;
  if (detail.state === 'deleted')
    return (
      <p className={styles.warn} data-testid="etcd-key-gone">
        {detail.deletedAt !== undefined ? t('etcd.keyDeletedAt', { key: detail.key, revision: detail.deletedAt }) : t('etcd.keyDeleted', { key: detail.key })}
      </p>
    );
  if (detail.state === 'compacted') return <p className={styles.warn}>{t('etcd.keyGone', { key: detail.key })}</p>;
  return (
    <div data-testid="etcd-value">
      <h3 className={styles.panelTitle}>
        <code>{detail.key}</code>
      </h3>
      <dl className={styles.kv}>
        <dt>create_revision</dt>
        <dd>{detail.createRevision}</dd>
        <dt>mod_revision</dt>
        <dd>{detail.modRevision}</dd>
        <dt>version</dt>
        <dd>{detail.version}</dd>
        {detail.lease && (
          <>
            <dt>lease</dt>
            <dd>{detail.lease}</dd>
          </>
        )}
      </dl>
      <pre className={styles.value} aria-label={t('etcd.valueOf', { key: detail.key })}>
        {formatValue(detail.value)}
      </pre>
    </div>
  );
}

function WatchPanel({ watches, total, revision }: { watches: WatchRow[]; total: number; revision: number }) {
  const { t } = useTranslation();
  const groups = useMemo(() => {
    const by = new Map<string, WatchRow[]>();
    for (const w of watches) {
      const who = w.watcher ?? t('etcd.unknownWatcher');
      by.set(who, [...(by.get(who) ?? []), w]);
    }
    return [...by];
  }, [watches, t]);
  return (
    <div data-testid="etcd-watches">
      <p className={styles.hint}>{t('etcd.watchesHint', { count: total, revision })}</p>
      {groups.map(([who, list]) => (
        <section key={who} className={styles.watchGroup}>
          <h3 className={styles.panelTitle}>
            {who} <span className={styles.count}>{list.length}</span>
          </h3>
          <table className={styles.watchTable}>
            <thead>
              <tr>
                <th scope="col">{t('etcd.watchKey')}</th>
                <th scope="col">{t('etcd.watchFrom')}</th>
                <th scope="col">{t('etcd.watchNext')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((w, i) => (
                <tr key={`${w.key}:${i}`}>
                  <td>
                    <code>
                      {w.key}
                      {w.prefix ? '*' : w.rangeEnd !== undefined ? ` … ${w.rangeEnd}` : ''}
                    </code>
                  </td>
                  <td>{w.startRevision > 0 ? w.startRevision : t('etcd.fromNow')}</td>
                  <td>{w.nextRevision}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
