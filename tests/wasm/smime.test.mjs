// The S/MIME exports of the wasm core, in Node: the same verdict as the native engine.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { initSync, VerifyJob, inspectRoots, builtinRoots } from '../../pkg/impalemail.js';
import { runJob } from '../../extension/background/verify-job.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIX = path.join(ROOT, 'tests/fixtures/smime');
const wasm = initSync({ module: fs.readFileSync(path.join(ROOT, 'pkg/impalemail_bg.wasm')) });

/** The golden files' fixed clock (tests/smime_verify.rs): 2027-01-01T00:00:00Z. */
const NOW = Date.UTC(2027, 0, 1) / 1000;
/** The extension's check: the core in rounds, Node's WebCrypto doing the maths it asks for. */
const verifyMessage = (raw, now, roots) => runJob(new VerifyJob(raw, now, roots), raw, crypto.subtle, async (fn) => fn());
const rootDer = () => Uint8Array.from(inspectRoots(fs.readFileSync(path.join(FIX, 'pki/root.pem')))[0].der);

test('inspectRoots shows what a root file holds before it is trusted', () => {
  const [info, ...rest] = inspectRoots(fs.readFileSync(path.join(FIX, 'pki/root.pem')));
  assert.equal(rest.length, 0);
  assert.equal(info.subject, 'O=ImpaleMail tests,CN=ImpaleMail Test Root CA');
  assert.equal(info.is_ca, true);
  assert.equal(info.self_issued, true);
  assert.match(info.fingerprint_sha256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  assert.throws(() => inspectRoots(new TextEncoder().encode('not a certificate')), (e) => e.name === 'TrustError');
});

test('the built-in store is Mozilla\'s 90 e-mail roots', () => {
  const b = builtinRoots();
  assert.equal(b.count, 90);
  assert.match(b.version, /NSS/);
});

test('every generated mail gets, in wasm with WebCrypto, exactly the golden verdict of the native engine', async () => {
  const root = rootDer();
  const files = fs.readdirSync(path.join(FIX, 'generated')).filter((f) => f.endsWith('.eml')).sort();
  assert.ok(files.length >= 20, `only ${files.length} generated mails`);
  for (const f of files) {
    const verdict = await verifyMessage(fs.readFileSync(path.join(FIX, 'generated', f)), NOW, [root]);
    const golden = JSON.parse(fs.readFileSync(path.join(FIX, 'generated', f.replace('.eml', '.json')), 'utf8'));
    assert.deepEqual(verdict, golden, f);
  }
});

test('the layered mails (names, Reply-To, encrypted content, Date, nesting) get the native golden verdicts too', async () => {
  const root = rootDer();
  const dir = path.join(FIX, 'layers');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.eml')).sort();
  assert.ok(files.length >= 7, `only ${files.length} layered mails`);
  for (const f of files) {
    const verdict = await verifyMessage(fs.readFileSync(path.join(dir, f)), NOW, [root]);
    const golden = JSON.parse(fs.readFileSync(path.join(dir, f.replace('.eml', '.json')), 'utf8'));
    assert.deepEqual(verdict, golden, f);
  }
});

test('with every content digest asked of WebCrypto (the core\'s memory views), the same golden verdicts', async () => {
  const root = rootDer();
  const files = fs.readdirSync(path.join(FIX, 'generated')).filter((f) => f.endsWith('.eml')).sort();
  const kinds = new Set();
  const schemes = new Set();
  for (const f of files) {
    const raw = fs.readFileSync(path.join(FIX, 'generated', f));
    const job = VerifyJob.withDigestThreshold(raw, NOW, [root], 0);
    /** Records what the core asks for, then answers as the background does. */
    const seen = {
      step: () => {
        const s = job.step();
        for (const r of s.digests ?? []) {
          kinds.add(r.kind);
          if (r.kind !== 'message') {
            assert.ok(r.bytes instanceof Uint8Array && r.bytes.byteLength === r.length, `${f}: a whole view`);
          }
        }
        for (const r of s.signatures ?? []) schemes.add(`${r.scheme} ${r.hash ?? '-'}`);
        return s;
      },
      answer: (d, s) => job.answer(d, s),
      free: () => job.free(),
    };
    const verdict = await runJob(seen, raw, crypto.subtle, async (fn) => fn());
    const golden = JSON.parse(fs.readFileSync(path.join(FIX, 'generated', f.replace('.eml', '.json')), 'utf8'));
    assert.deepEqual(verdict, golden, f);
  }
  // Opaque contents (views of the decoded eContent) and detached ones hashed from the
  // caller's buffer were both asked for.
  assert.ok(kinds.has('econtent') && kinds.has('message'), [...kinds].join());
  // Ed25519 (007.eml's signer) went to WebCrypto as well, naming no hash.
  assert.ok(schemes.has('Ed25519 -') && schemes.has('RSASSA-PKCS1-v1_5 SHA-256'), [...schemes].join());
});

test('a view the memory outgrew is not hashed: answered null, the core hashes the content itself', async () => {
  const root = rootDer();
  const opaque = fs.readdirSync(path.join(FIX, 'generated')).filter((f) => f.endsWith('.eml')).sort()
    .map((f) => ({ f, raw: fs.readFileSync(path.join(FIX, 'generated', f)) }))
    .find(({ raw }) => raw.includes('application/pkcs7-mime'));
  assert.ok(opaque, 'an opaque generated mail');
  const golden = JSON.parse(fs.readFileSync(path.join(FIX, 'generated', opaque.f.replace('.eml', '.json')), 'utf8'));
  const job = VerifyJob.withDigestThreshold(opaque.raw, NOW, [root], 0);
  const grown = {
    step: () => {
      const s = job.step();
      // Another call into the core that grows its memory (a message larger than all of it)
      // before the views are used.
      if (s.digests?.some((r) => r.bytes)) new VerifyJob(new Uint8Array(wasm.memory.buffer.byteLength + (1 << 20)), NOW, []).free();
      for (const r of s.digests ?? []) if (r.bytes) assert.notEqual(r.bytes.byteLength, r.length, 'the view was detached');
      return s;
    },
    answer: (d, s) => {
      assert.ok(d.includes(null), 'the outgrown view was answered null');
      job.answer(d, s);
    },
    free: () => job.free(),
  };
  assert.deepEqual(await runJob(grown, opaque.raw, crypto.subtle, async (fn) => fn()), golden);
});

test('without the user root the test CA is untrusted; a bad user root is refused', async () => {
  const raw = fs.readFileSync(path.join(FIX, 'generated/001.eml'));
  const v = await verifyMessage(raw, NOW, []);
  assert.equal(v.status, 'not_verified');
  assert.equal(v.reason.kind, 'untrusted_root');
  assert.throws(() => new VerifyJob(raw, NOW, [new Uint8Array([48, 3, 1, 1, 0])]), (e) => e.name === 'UserRootError');
});

test('garbage and empty input become verdicts, not exceptions', async () => {
  for (const bytes of [new Uint8Array(0), new TextEncoder().encode('\r\n\r\n'), crypto.getRandomValues(new Uint8Array(4096))]) {
    const v = await verifyMessage(bytes, NOW, []);
    assert.notEqual(v.status, 'verified');
  }
});
