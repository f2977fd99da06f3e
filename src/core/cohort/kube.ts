// A small object client over the live source's KubeHttp (same authentication,
// timeouts and one-line errors): create-or-update with "unchanged" detection,
// delete, and ServiceAccount tokens. Only the kinds a cohort consists of.
import { HttpMethod } from '@kubernetes/client-node';
import { ApiStatusError, type KubeHttp } from '../cluster/http.ts';
import type { Manifest } from '../cluster/manifests.ts';

interface KindInfo {
  plural: string;
  namespaced: boolean;
}

const KINDS: Record<string, KindInfo> = {
  'v1/Namespace': { plural: 'namespaces', namespaced: false },
  'v1/ServiceAccount': { plural: 'serviceaccounts', namespaced: true },
  'v1/Service': { plural: 'services', namespaced: true },
  'v1/Secret': { plural: 'secrets', namespaced: true },
  'v1/Pod': { plural: 'pods', namespaced: true },
  'v1/ConfigMap': { plural: 'configmaps', namespaced: true },
  'networking.istio.io/v1/Sidecar': { plural: 'sidecars', namespaced: true },
  'apps/v1/Deployment': { plural: 'deployments', namespaced: true },
  'rbac.authorization.k8s.io/v1/Role': { plural: 'roles', namespaced: true },
  'rbac.authorization.k8s.io/v1/RoleBinding': { plural: 'rolebindings', namespaced: true },
  'rbac.authorization.k8s.io/v1/ClusterRole': { plural: 'clusterroles', namespaced: false },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': { plural: 'clusterrolebindings', namespaced: false },
};

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

export type ApplyAction = 'created' | 'updated' | 'unchanged';

export interface KubeObject {
  metadata?: {
    name?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    labels?: Record<string, string>;
    deletionTimestamp?: string;
  };
  status?: Record<string, unknown>;
  [k: string]: unknown;
}

export function refOf(m: Manifest): ObjectRef {
  const meta = (m.metadata ?? {}) as { name?: string; namespace?: string };
  return {
    apiVersion: String(m.apiVersion),
    kind: String(m.kind),
    name: String(meta.name),
    ...(meta.namespace ? { namespace: meta.namespace } : {}),
  };
}

export function describeRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

export function objectPath(ref: ObjectRef, withName = true): string {
  const info = KINDS[`${ref.apiVersion}/${ref.kind}`];
  if (!info) throw new Error(`cohort: no API path known for ${ref.apiVersion} ${ref.kind}`);
  const base = ref.apiVersion.includes('/') ? `/apis/${ref.apiVersion}` : `/api/${ref.apiVersion}`;
  const ns = info.namespaced ? `/namespaces/${encodeURIComponent(ref.namespace ?? 'default')}` : '';
  return `${base}${ns}/${info.plural}${withName ? `/${encodeURIComponent(ref.name)}` : ''}`;
}

/**
 * True when everything `want` says is already in `have`: maps key by key (extra keys in
 * `have` are server defaults and other owners' labels), arrays element by element with
 * the same length, scalars equal.
 */
export function isSubset(want: unknown, have: unknown): boolean {
  if (Array.isArray(want)) {
    return Array.isArray(have) && want.length === have.length && want.every((w, i) => isSubset(w, have[i]));
  }
  if (want && typeof want === 'object') {
    if (!have || typeof have !== 'object' || Array.isArray(have)) return false;
    const h = have as Record<string, unknown>;
    return Object.entries(want as Record<string, unknown>).every(([k, v]) => isSubset(v, h[k]));
  }
  return want === have;
}

export function isNotFound(e: unknown): boolean {
  return e instanceof ApiStatusError && e.status === 404;
}

export class ObjectClient {
  readonly http: KubeHttp;
  constructor(http: KubeHttp) {
    this.http = http;
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return await this.http.get<KubeObject>(objectPath(ref));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async create(m: Manifest): Promise<KubeObject> {
    return this.http.request<KubeObject>(HttpMethod.POST, objectPath(refOf(m), false), { body: m });
  }

  /**
   * Creates the object, or merges it into the existing one when something it says differs;
   * an object that already says it all is left alone (no write, same resourceVersion).
   */
  async apply(
    m: Manifest,
    /** the object as just read (null: known not to exist); read here when undefined */
    existing?: KubeObject | null,
  ): Promise<{ action: ApplyAction; object: KubeObject }> {
    const ref = refOf(m);
    const current = existing === undefined ? await this.get(ref) : existing;
    if (!current) {
      try {
        return { action: 'created', object: await this.create(m) };
      } catch (e) {
        // Created meanwhile (another init running): fall through to the comparison.
        if (!(e instanceof ApiStatusError && e.status === 409)) throw e;
        return this.apply(m, (await this.get(ref)) ?? null);
      }
    }
    if (isSubset(m, current)) return { action: 'unchanged', object: current };
    const object = await this.http.request<KubeObject>(HttpMethod.PATCH, objectPath(ref), {
      body: m,
      contentType: 'application/merge-patch+json',
    });
    return { action: 'updated', object };
  }

  /** Deletes the object (foreground for namespaces is the server's business); a missing one is fine. */
  async delete(ref: ObjectRef): Promise<boolean> {
    try {
      await this.http.request(HttpMethod.DELETE, objectPath(ref));
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  async list(ref: Omit<ObjectRef, 'name'>, query = ''): Promise<KubeObject[]> {
    const path = objectPath({ ...ref, name: '' }, false);
    const body = await this.http.get<{ items?: KubeObject[] }>(`${path}${query ? `?${query}` : ''}`);
    return body.items ?? [];
  }
}

export interface IssuedToken {
  token: string;
  /** undefined for tokens that do not expire (legacy token Secrets) */
  expiresAt?: Date;
  source: 'TokenRequest' | 'Secret';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A token for a ServiceAccount: the TokenRequest API (Kubernetes >= 1.22 always, earlier
 * when the API server signs tokens), else a legacy token Secret filled in by the token
 * controller.
 */
export async function serviceAccountToken(
  client: ObjectClient,
  namespace: string,
  name: string,
  ttlSeconds: number,
): Promise<IssuedToken> {
  const path = `${objectPath({ apiVersion: 'v1', kind: 'ServiceAccount', name, namespace })}/token`;
  try {
    const res = await client.http.request<{ status?: { token?: string; expirationTimestamp?: string } }>(
      HttpMethod.POST,
      path,
      {
        body: {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenRequest',
          spec: { expirationSeconds: ttlSeconds },
        },
      },
    );
    const token = res.status?.token;
    if (!token) throw new Error(`the TokenRequest for ServiceAccount ${namespace}/${name} returned no token`);
    const exp = res.status?.expirationTimestamp;
    return { token, ...(exp ? { expiresAt: new Date(exp) } : {}), source: 'TokenRequest' };
  } catch (e) {
    // 404: the server does not offer TokenRequest; fall back to a token Secret.
    if (!isNotFound(e) || (e as ApiStatusError).body?.details?.kind === 'serviceaccounts') throw e;
  }
  const secret = `${name}-token`;
  await client.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'kubernetes.io/service-account-token',
    metadata: { name: secret, namespace, annotations: { 'kubernetes.io/service-account.name': name } },
  });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const s = (await client.get({ apiVersion: 'v1', kind: 'Secret', name: secret, namespace })) as
      | { data?: { token?: string } }
      | undefined;
    if (s?.data?.token)
      return { token: Buffer.from(s.data.token, 'base64').toString('utf8'), source: 'Secret' };
    if (Date.now() > deadline) {
      throw new Error(
        `no token for ServiceAccount ${namespace}/${name}: the server offers no TokenRequest API and the token Secret ${secret} stayed empty (is the token controller running?)`,
      );
    }
    await sleep(250);
  }
}

/** A running pool: at most `limit` of `fn` at once, results in input order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
