// Certificates made at test time with the openssl CLI: a private CA and a server certificate
// it signed for 127.0.0.1 and localhost (no vscode imports; every tier uses it).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestCertificates {
  dir: string;
  /** PEM files. */
  caFile: string;
  keyFile: string;
  certFile: string;
  ca: string;
  key: string;
  cert: string;
  /** Removes the folder. */
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`openssl ${args[0]} failed (install Debian's openssl): ${stderr || String(err)}`);
  }
}

/** A fresh CA ("GitLab Packages Test CA") and a server certificate for 127.0.0.1/localhost signed by it. */
export function makeCertificates(): TestCertificates {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glp-certs-'));
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=GitLab Packages Test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], dir);
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext'], dir);
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  return {
    dir,
    caFile: path.join(dir, 'ca.pem'),
    keyFile: path.join(dir, 'server.key'),
    certFile: path.join(dir, 'server.pem'),
    ca: read('ca.pem'),
    key: read('server.key'),
    cert: read('server.pem'),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
