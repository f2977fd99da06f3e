// Requests to the API server through @kubernetes/client-node: its KubeConfig
// supplies authentication (tokens, client certificates, exec plugins) and TLS,
// its fetch library sends. Every request has a timeout; transport failures and
// 401s become ClusterErrors with one-line messages; other HTTP errors become
// ApiStatusError for the caller to interpret (403 and 404 mean different things
// for different requests).
import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  type KubeConfig,
  RequestContext,
} from '@kubernetes/client-node';
import { trainerCommand } from '../command-name.ts';
import { ClusterError } from './errors.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;

/** A metav1.Status as the API server sends it with errors. */
export interface KubeStatus {
  kind?: string;
  code?: number;
  reason?: string;
  message?: string;
  details?: { name?: string; group?: string; kind?: string };
}

export class ApiStatusError extends Error {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly body: KubeStatus | undefined;
  constructor(status: number, method: string, path: string, body: KubeStatus | undefined) {
    super(body?.message ?? `HTTP ${status} for ${method} ${path}`);
    this.name = 'ApiStatusError';
    this.status = status;
    this.method = method;
    this.path = path;
    this.body = body;
  }
}

export interface KubeHttpTarget {
  kc: KubeConfig;
  server: string;
  context: string;
}

export interface RequestOptions {
  accept?: string;
  body?: unknown;
  contentType?: string;
  /** overrides the client's timeout for this request */
  timeoutMs?: number;
}

type Method = (typeof HttpMethod)[keyof typeof HttpMethod];

export class KubeHttp {
  readonly server: string;
  readonly context: string;
  readonly timeoutMs: number;
  /** requests sent so far */
  requests = 0;
  private readonly kc: KubeConfig;
  private readonly lib = new IsomorphicFetchHttpLibrary();

  constructor(target: KubeHttpTarget, timeoutMs: number = DEFAULT_TIMEOUT_MS) {
    this.kc = target.kc;
    this.server = target.server.replace(/\/+$/, '');
    this.context = target.context;
    this.timeoutMs = timeoutMs;
  }

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>(HttpMethod.GET, path, options);
  }

  async request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    this.requests++;
    const ctx = new RequestContext(this.server + path, method);
    ctx.setHeaderParam('Accept', options.accept ?? 'application/json');
    ctx.setHeaderParam('User-Agent', 'ica-trainer');
    if (options.body !== undefined) {
      ctx.setBody(JSON.stringify(options.body));
      ctx.setHeaderParam('Content-Type', options.contentType ?? 'application/json');
    }
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(this.timeoutError(method, path, timeoutMs));
      }, timeoutMs);
    });
    ctx.setSignal(controller.signal);
    try {
      return await Promise.race([this.send<T>(ctx, method, path), timedOut]);
    } catch (e) {
      if (e instanceof ClusterError || e instanceof ApiStatusError) throw e;
      if (controller.signal.aborted) throw this.timeoutError(method, path, timeoutMs);
      throw this.transportError(e);
    } finally {
      clearTimeout(timer);
    }
  }

  private async send<T>(ctx: RequestContext, method: string, path: string): Promise<T> {
    try {
      await this.kc.applySecurityAuthentication(ctx);
    } catch (e) {
      const detail = e instanceof Error ? e.message : String(e);
      throw new ClusterError(
        'bad-kubeconfig',
        `cannot use the credentials of context ${this.context}: ${firstLine(detail)}`,
      );
    }
    const res = await this.lib.send(ctx).toPromise();
    const text = await res.body.text();
    const status = res.httpStatusCode;
    if (status === 401) {
      throw new ClusterError(
        'unauthorized',
        `the API server at ${this.server} rejected the credentials of context ${this.context} (401 Unauthorized): the token or client certificate is invalid or expired; refresh the kubeconfig (for kind: kind export kubeconfig --name NAME)`,
      );
    }
    if (status >= 200 && status < 300) {
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new ClusterError(
          'server',
          `the API server at ${this.server} answered ${method} ${path} with something that is not JSON (${text.slice(0, 60)})`,
        );
      }
    }
    let body: KubeStatus | undefined;
    try {
      body = JSON.parse(text) as KubeStatus;
    } catch {
      body = { message: text.slice(0, 200) };
    }
    if (status >= 500) {
      throw new ClusterError(
        'server',
        `the API server at ${this.server} failed ${method} ${path} (${status}): ${firstLine(body?.message ?? '')}`,
      );
    }
    throw new ApiStatusError(status, method, path, body);
  }

  private timeoutError(method: string, path: string, ms: number): ClusterError {
    const secs = ms >= 1000 ? `${+(ms / 1000).toFixed(1)}s` : `${ms}ms`;
    return new ClusterError(
      'timeout',
      `the API server at ${this.server} (context ${this.context}) did not answer ${method} ${path} within ${secs}; it is overloaded or unreachable: retry, or allow more time with --request-timeout`,
    );
  }

  private transportError(e: unknown): ClusterError {
    const cause = (e as { cause?: unknown })?.cause ?? e;
    const err = cause as NodeJS.ErrnoException & { code?: string };
    const code = err?.code ?? '';
    const message = err instanceof Error ? err.message : String(cause);
    let reason: string;
    let hint = `is the cluster running? (${trainerCommand()} cluster status)`;
    if (code === 'ECONNREFUSED') reason = 'connection refused';
    else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') reason = 'its host name does not resolve';
    else if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') reason = 'the connection was reset';
    else if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') reason = 'no route to the host';
    else if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') reason = 'the connection timed out';
    else if (message === 'bad port') {
      reason = `fetch refuses to connect to port ${new URL(this.server).port} (a blocked port)`;
      hint = 'serve the API on another port (6443 is usual)';
    } else if (
      /CERT|TLS|SSL|SELF_SIGNED|UNABLE_TO_VERIFY/i.test(code) ||
      /certificate|tls|ssl/i.test(message)
    ) {
      reason = `TLS failed (${code || firstLine(message)})`;
      hint = "check the cluster's certificate-authority-data in the kubeconfig";
    } else reason = firstLine(message) || 'unknown network error';
    return new ClusterError(
      'unreachable',
      `cannot reach the API server at ${this.server} (context ${this.context}): ${reason}; ${hint}`,
    );
  }
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').trim();
}
