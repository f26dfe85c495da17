'use client';

import { API_KEY_SOURCES, type IssuedSecret } from '@/lib/contracts/master';
import { SOURCE_LABEL } from '@/lib/contracts/events';
import { api } from './api';
import IssueForm from './IssueForm';
import type { ApiKeyRow } from './masterTypes';
import SecretsTable from './SecretsTable';
import { useLoad } from './useLoad';
import styles from './admin.module.css';

/**
 * Keys of the source systems that post events (S9: 12345, 110, 矛调 …) and of Open311 client
 * applications (issue 14: they file residents' requests at /open311/v2): the administrator's alone.
 * The simulator posts in demo mode only and never holds a key.
 */
export default function ApiKeysTab() {
  const keys = useLoad<ApiKeyRow[]>('/api/v1/admin/api-keys');

  async function issue(name: string, source: string): Promise<string> {
    return (await api.post<IssuedSecret>('/api/v1/admin/api-keys', { name, source })).secret;
  }

  return (
    <>
      <p className={styles.hint}>每个来源系统用自己的密钥上报事件；Open311 应用用自己的密钥（表单字段 api_key）经 /open311/v2 提交群众诉求。密钥泄露或系统下线时吊销，再为它签发新的。</p>
      <IssueForm title="签发接口密钥" choice={{ label: '来源系统', options: API_KEY_SOURCES.map((s) => ({ value: s, label: SOURCE_LABEL[s] })) }} fields={['source']} issue={issue} onIssued={keys.reload} />
      {keys.error && <p className={styles.formError} role="alert">加载失败：{keys.error}</p>}
      {keys.data ? (
        <SecretsTable label="接口密钥" rows={keys.data} extra={{ title: '来源系统', value: (k) => SOURCE_LABEL[k.source as keyof typeof SOURCE_LABEL] ?? k.source }} revokePath={(id) => `/api/v1/admin/api-keys/${id}/revoke`} reload={keys.reload} />
      ) : (
        !keys.error && <p className={styles.loading}>加载中…</p>
      )}
    </>
  );
}
