// Question-bank errata checked against Istio's source (issue 11, section 4): the facts
// stay corrected. Questions are found by what they ask, not by id.
import { describe, expect, it } from 'vitest';
import { bank, find, text } from '../helpers/quiz-bank.ts';

describe('question bank errata', () => {
  it('the timeout-cuts-retries question sets retryOn 5xx, so its answer is right as written', () => {
    const [q] = find(/timeout: 3s` and `retries: \{attempts: 3, perTryTimeout: 2s/);
    expect(text(q)).toContain('retryOn: 5xx}');
    expect(text(q)).toContain('(attempts + 1) × perTryTimeout');
  });

  it('no question counts the retry budget as attempts × perTryTimeout', () => {
    for (const q of bank.questions) expect(text(q)).not.toMatch(/timeout ≥ attempts × perTryTimeout/);
  });

  it('the -shadow Host suffix is stated for Istio 1.26/1.27 and gone by default from 1.28', () => {
    const [q] = find(/-shadow/);
    expect(text(q)).toContain('Istio 1.28');
  });

  it('HTTP blocked by REGISTRY_ONLY is a 502 from the block_all route, not a request to the BlackHoleCluster', () => {
    for (const q of bank.questions) {
      expect(text(q)).not.toMatch(/502 from its sidecar, which routes it to the BlackHoleCluster/);
      expect(text(q)).not.toMatch(/with the BlackHoleCluster in the\s+access log/);
    }
    expect(find(/block_all/).length).toBeGreaterThan(1);
  });

  it('header names: capitals are accepted and still match', () => {
    const [q] = find(/X-User-Group: beta/);
    expect(text(q)).not.toContain('the webhook rejects capitals');
    expect(text(q)).toContain('Envoy lowercases');
  });

  it('no timeout is not forever: the stream idle timeout is named', () => {
    const [q] = find(/An HTTP rule sets no `timeout`/);
    expect(text(q)).toContain('stream idle timeout');
    expect(text(q)).not.toContain('waits as long as the connection lives');
  });

  it('IST0173 is named as an istioctl 1.28 check', () => {
    for (const q of find(/IST0173/)) expect(text(q)).toMatch(/1\.28/);
  });

  it('the ipBlocks question asks where the policy lets only the office network in', () => {
    const [q] = find(/go so that only the office network gets in/);
    expect(text(q)).not.toContain('keep only the office network out of everyone');
  });

  it('Secrets in question setups have a Kubernetes type (Opaque), not kubectl\'s "generic" subcommand', () => {
    for (const q of bank.questions) expect(text(q)).not.toMatch(/type: generic/);
  });
});
