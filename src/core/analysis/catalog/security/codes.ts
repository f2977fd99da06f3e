// The codes of the security domain: istioctl's (IST0127, IST0128, IST0129,
// IST0149) for the same conditions, and the trainer's (ICA12xx) for the
// course-level mistakes of mTLS, authorization and JWT.
import { entry } from '../entry.ts';

export const SECURITY_ENTRIES = {
  ICA1201: entry<{ mode: string; by: string; scope: string; callers: string }>({
    code: 'ICA1201',
    name: 'StrictWithPlaintextCallers',
    level: 'Warning',
    description: 'STRICT mTLS while workloads without a sidecar (plaintext callers) are among the inputs.',
    message: (p) =>
      `${p.by} requires mTLS for ${p.scope}, but workloads without a sidecar, which can only send plaintext, are among the inputs: ${p.callers}`,
    explanation:
      'A STRICT server resets every plaintext connection: the callers without a sidecar see "Connection reset by peer" (curl exit 56) and nothing reaches the application. This is why istio.io migrates with PERMISSIVE first.',
    fix: 'Inject the callers (label their namespace istio-injection=enabled and restart them), or keep PERMISSIVE for the servers they call until they are migrated.',
  }),
  ICA1202: entry<{ host: string; mode: string; pods: string; by: string }>({
    code: 'ICA1202',
    name: 'ClientTlsAgainstStrict',
    level: 'Error',
    description:
      'A DestinationRule tls mode other than ISTIO_MUTUAL towards pods that require mTLS (STRICT).',
    message: (p) => `tls.mode ${p.mode} towards ${p.host}, whose pods (${p.pods}) accept only mTLS (${p.by})`,
    explanation: (p) =>
      `The calling sidecars send ${p.mode === 'DISABLE' ? 'plaintext' : 'their own TLS, not Istio mTLS'}, which a STRICT server resets: every request fails with 503 UC ("upstream connect error or disconnect/reset before headers").`,
    fix: 'Remove tls from the DestinationRule (auto mTLS then sends mTLS), or set tls.mode: ISTIO_MUTUAL.',
  }),
  ICA1203: entry<{ workload: string; policies: string; principal: string }>({
    code: 'ICA1203',
    name: 'AllowLocksOutIngress',
    level: 'Warning',
    description:
      'ALLOW policies on a workload the ingress gateway routes to, with no rule that admits the gateway.',
    message: (p) =>
      `ALLOW ${p.policies} on ${p.workload} admit no request from the ingress gateway (${p.principal}), yet a gateway route sends traffic there`,
    explanation:
      'The ingress gateway calls the workload with its own identity, not the external client\'s: when no ALLOW rule matches it, every request through the gateway gets 403 "RBAC: access denied".',
    fix: (p) =>
      `Add a rule admitting the gateway, e.g. from: [{source: {principals: ["${p.principal}"]}}] (or namespaces: ["istio-system"]).`,
  }),
  ICA1204: entry<{ field: string }>({
    code: 'ICA1204',
    name: 'RequestPrincipalsWithoutRequestAuthentication',
    level: 'Warning',
    description:
      'An AuthorizationPolicy matching on JWT fields for workloads that no RequestAuthentication selects.',
    message: (p) =>
      `${p.field} is used, but no RequestAuthentication applies to the selected workloads: no request ever has a request principal or claims`,
    explanation:
      'Only a RequestAuthentication validates tokens and fills request.auth.*: without one, an ALLOW rule on requestPrincipals never matches (403 for everybody) and a DENY rule on them never fires.',
    fix: 'Add a RequestAuthentication with the issuer and keys for the same workloads (same namespace and selector).',
  }),
  ICA1205: entry<{ kind: string; labels: string; namespaces: string }>({
    code: 'ICA1205',
    name: 'PolicyInWrongNamespace',
    level: 'Warning',
    description: 'A security policy whose selector matches workloads only in other namespaces.',
    message: (p) =>
      `the selector ${p.labels} matches no workload in this namespace, but matches workloads in ${p.namespaces}`,
    explanation: (p) =>
      `${p.kind === 'AuthorizationPolicy' ? 'An' : 'A'} ${p.kind} applies only to workloads in its own namespace (or, from the root namespace istio-system, to all): in this namespace it does nothing.`,
    fix: (p) => `Create the ${p.kind} in ${p.namespaces.split(', ')[0]} (metadata.namespace).`,
  }),
  ICA1206: entry<{ value: string; suggestion: string }>({
    code: 'ICA1206',
    name: 'PrincipalWithoutTrustDomain',
    level: 'Warning',
    description: 'A principal written without the trust domain (or with spiffe://), which never matches.',
    message: (p) => `principal "${p.value}" never matches: principals are written "${p.suggestion}"`,
    explanation:
      'A peer principal is the SPIFFE identity without the spiffe:// scheme: <trust domain>/ns/<namespace>/sa/<service account>. Anything else matches no caller, so an ALLOW rule on it admits nobody (403) and a DENY rule denies nobody.',
    fix: (p) => `Write "${p.suggestion}", or use namespaces / serviceAccounts instead.`,
  }),
  ICA1207: entry<{ provider: string; why: string; workloads: string }>({
    code: 'ICA1207',
    name: 'CustomProviderUnusable',
    level: 'Error',
    description:
      'A CUSTOM AuthorizationPolicy whose provider istiod cannot use (not in the mesh config, not an ext_authz provider, its service not found, or two providers on one workload): what its rules match is denied.',
    message: (p) =>
      `CUSTOM provider "${p.provider}" cannot be used: ${p.why}; every request its rules match at ${p.workloads} is denied without asking any authorizer`,
    explanation:
      'istiod resolves a CUSTOM policy\'s provider.name among meshConfig.extensionProviders (envoyExtAuthzHttp or envoyExtAuthzGrpc, its service "ns/host" or a host found in one namespace), and a workload may use only one provider. When it cannot, istiod logs an error and turns the CUSTOM rules into DENY rules (rbac_access_denied_matched_policy[istio-ext-authz-...-deny-due-to-bad-CUSTOM-action]): every request they match gets 403 "RBAC: access denied" (Envoy\'s body, never the authorizer\'s), the others go on to DENY and ALLOW. Istio before 1.20 installed a deny-all for the whole workload instead (default-deny-all-due-to-bad-CUSTOM-action).',
    fix: 'Name a provider defined under meshConfig.extensionProviders (kubectl -n istio-system get configmap istio -o yaml), give its service as a full hostname (ext-authz.foo.svc.cluster.local), and use one provider per workload.',
  }),
  IST0127: entry<{ labels: string }>({
    code: 'IST0127',
    name: 'NoMatchingWorkloadsFound',
    level: 'Warning',
    description: 'A security policy whose selector matches no workload.',
    message: (p) => `No matching workloads for this resource with the following labels: ${p.labels}`,
    explanation:
      'The policy applies to no pod: it changes nothing (an ALLOW meant to lock a service down leaves it open).',
    fix: "Make matchLabels match the pods' labels (kubectl get pods --show-labels), in the policy's namespace.",
  }),
  IST0128: entry<{ name: string; namespace: string; mode: string; host: string }>({
    code: 'IST0128',
    name: 'NoServerCertificateVerificationDestinationLevel',
    level: 'Warning',
    description: 'A DestinationRule originating TLS (SIMPLE/MUTUAL) without caCertificates.',
    message: (p) =>
      `DestinationRule ${p.name} in namespace ${p.namespace} has TLS mode set to ${p.mode} but no caCertificates are set to validate server identity for host: ${p.host}`,
    explanation:
      "The sidecar encrypts but does not verify the server's certificate: anyone answering for the host is trusted (a man in the middle goes unnoticed).",
    fix: "Set caCertificates to the CA bundle that signs the server's certificate (or credentialName with a workloadSelector).",
  }),
  IST0129: entry<{ name: string; namespace: string; mode: string; host: string; port: string }>({
    code: 'IST0129',
    name: 'NoServerCertificateVerificationPortLevel',
    level: 'Warning',
    description: 'A port-level DestinationRule TLS setting (SIMPLE/MUTUAL) without caCertificates.',
    message: (p) =>
      `DestinationRule ${p.name} in namespace ${p.namespace} has TLS mode set to ${p.mode} but no caCertificates are set to validate server identity for host: ${p.host} at port ${p.port}`,
    explanation:
      "Traffic to this port is encrypted without verifying the server's certificate: anyone answering for the host is trusted.",
    fix: 'Set caCertificates in the port-level tls settings.',
  }),
  IST0149: entry<{ key: string; gateway: string; pods: string }>({
    code: 'IST0149',
    name: 'JwtClaimBasedRoutingWithoutRequestAuthN',
    level: 'Error',
    description:
      'A gateway route matching a JWT claim (@request.auth.claims) without a RequestAuthentication on the gateway pods.',
    message: (p) =>
      `The virtual service uses the JWT claim based routing (key: ${p.key}) but found no request authentication for the gateway (${p.gateway}) pod (${p.pods}). The request authentication must first be applied for the gateway pods to validate the JWT token and make the claims available for routing.`,
    explanation:
      'Without a RequestAuthentication on the gateway the claims are never extracted: the claim match never holds and those requests fall through to later rules (or 404).',
    fix: "Apply a RequestAuthentication selecting the gateway pods (namespace istio-system, selector istio: ingressgateway) with the token's issuer and keys.",
  }),
};

const DOCS = 'https://istio.io/latest/docs/';
const ist = (code: string) => `${DOCS}reference/config/analysis/${code.toLowerCase()}/`;

export const SECURITY_DOCS: Record<keyof typeof SECURITY_ENTRIES, string> = {
  ICA1201: `${DOCS}tasks/security/authentication/mtls-migration/`,
  ICA1202: `${DOCS}reference/config/networking/destination-rule/#ClientTLSSettings-TLSmode`,
  ICA1203: `${DOCS}tasks/security/authorization/authz-ingress/`,
  ICA1204: `${DOCS}tasks/security/authorization/authz-jwt/`,
  ICA1205: `${DOCS}concepts/security/#authorization-policy`,
  ICA1206: `${DOCS}reference/config/security/conditions/`,
  ICA1207: `${DOCS}tasks/security/authorization/authz-custom/`,
  IST0127: ist('IST0127'),
  IST0128: ist('IST0128'),
  IST0129: ist('IST0129'),
  IST0149: ist('IST0149'),
};
