'use client';

import type { AreaInfo, AreaKind, AreaRef } from '@/lib/contracts/kpi';
import styles from './cockpit.module.css';

const KIND_LABEL: Record<AreaKind, string> = { district: '全区', town: '镇（街道）', station: '工作站', grid: '网格' };

type Props = {
  chain: readonly AreaInfo[];
  /** The viewer's highest area: no crumb above it. */
  top: AreaRef | null;
  onGo: ((area: AreaRef) => void) | null;
};

/** District › town › station › grid, each crumb back up; the last is where the figures are of. */
export default function Breadcrumb({ chain, top, onGo }: Props) {
  const first = chain[0];
  // An ancestor not known by name yet (a deep link) is still a way up.
  const up = first && first.parent !== null && first.ref !== top ? first.parent : null;
  return (
    <nav className={styles.crumbs} aria-label="区域层级" data-testid="breadcrumb">
      <ol>
        {up && onGo && (
          <li>
            <button type="button" onClick={() => onGo(up)}>上一级</button>
          </li>
        )}
        {chain.map((a, i) => (
          <li key={a.ref}>
            {i < chain.length - 1 && onGo ? (
              <button type="button" onClick={() => onGo(a.ref)} data-testid={`crumb-${a.ref}`}>
                {a.name || KIND_LABEL[a.kind]}
              </button>
            ) : (
              <span aria-current="page" data-testid="crumb-current" data-area={a.ref}>
                {a.name || KIND_LABEL[a.kind]}
              </span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
