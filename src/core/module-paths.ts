// What go-preflight knows about module paths: Go's GOPRIVATE-style pattern matching, and which
// module hosts are public (served by the public module proxy) or look like a company's own.

/**
 * Hosts whose modules the public module proxy serves. A required module on any other host is
 * probably private (extend with the `public-hosts` option). Subdomains of an entry count too.
 */
export const PUBLIC_MODULE_HOSTS: readonly string[] = [
  'github.com', 'gitlab.com', 'bitbucket.org', 'codeberg.org', 'git.sr.ht', 'gitea.com',
  'golang.org', 'google.golang.org', 'go.googlesource.com', 'cloud.google.com', 'gopkg.in', 'go.yaml.in',
  'go.uber.org', 'k8s.io', 'sigs.k8s.io', 'go.opentelemetry.io', 'go.opencensus.io', 'honnef.co',
  'go.etcd.io', 'gotest.tools', 'gonum.org', 'modernc.org', 'mvdan.cc', 'rsc.io', 'dario.cat',
  'filippo.io', 'connectrpc.com', 'buf.build', 'go.mongodb.org', 'gorm.io', 'nhooyr.io', 'lukechampine.com',
  'golang.zx2c4.com', 'gvisor.dev', 'tailscale.com', 'go.temporal.io', 'go.step.sm', 'storj.io',
  'cuelang.org', 'cuelabs.dev', 'helm.sh', 'oras.land', 'knative.dev', 'istio.io', 'go.starlark.net',
  'go.elastic.co', 'go.mozilla.org', 'gocloud.dev', 'go4.org', 'inet.af', 'entgo.io', 'ariga.io',
  'cel.dev', 'tags.cncf.io', 'gioui.org', 'fyne.io', 'tinygo.org', 'zombiezen.com', 'code.gitea.io',
  'howett.net', 'software.sslmate.com', 'launchpad.net', 'go.bug.st', 'aead.dev', 'go.einride.tech',
];

/** A host on the public list (or a subdomain of one), or one of `extra`. */
export function isPublicModuleHost(host: string, extra: readonly string[] = []): boolean {
  const h = host.toLowerCase();
  return [...PUBLIC_MODULE_HOSTS, ...extra].some((x) => {
    const y = x.toLowerCase().replace(/\/+$/, '');
    return h === y || h.endsWith(`.${y}`);
  });
}

/** Whether an import path's host looks like a company's private code host. */
export function looksPrivate(importPath: string): boolean {
  const host = importPath.split('/')[0]!.toLowerCase();
  if (isPublicModuleHost(host)) return false;
  if (!host.includes('.')) return true;
  const labels = host.split('.');
  if (['local', 'internal', 'corp', 'lan', 'intranet', 'private', 'home', 'localdomain'].includes(labels[labels.length - 1]!)) return true;
  return ['git', 'gitlab', 'github', 'bitbucket', 'scm', 'code', 'source', 'vcs', 'gitea', 'gerrit', 'stash', 'repo', 'repos'].includes(labels[0]!);
}

/** Go's path.Match as a RegExp (`*` and `?` never match `/`); undefined for a malformed glob. */
export function globToRegExp(glob: string): RegExp | undefined {
  let re = '^';
  let i = 0;
  const esc = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
  while (i < glob.length) {
    const c = glob[i]!;
    if (c === '*') {
      re += '[^/]*';
      i++;
    } else if (c === '?') {
      re += '[^/]';
      i++;
    } else if (c === '\\') {
      if (i + 1 >= glob.length) return undefined;
      re += esc(glob[i + 1]!);
      i += 2;
    } else if (c === '[') {
      i++;
      let cls = '[';
      if (glob[i] === '^') {
        cls += '^';
        i++;
      }
      // Like path.Match's getEsc: an unescaped `-` or `]` cannot start a range; `\\` escapes.
      const classChar = (): string | undefined => {
        let ch = glob[i];
        if (ch === undefined || ch === '-' || ch === ']') return undefined;
        if (ch === '\\') ch = glob[++i];
        if (ch === undefined) return undefined;
        i++;
        return ch;
      };
      let ranges = 0;
      for (;;) {
        if (i >= glob.length) return undefined;
        if (glob[i] === ']' && ranges > 0) {
          i++;
          break;
        }
        const lo = classChar();
        if (lo === undefined) return undefined;
        let part = esc(lo);
        if (glob[i] === '-') {
          i++;
          const hi = classChar();
          if (hi === undefined) return undefined;
          part += `-${esc(hi)}`;
        }
        cls += part;
        ranges++;
      }
      re += `${cls}]`;
    } else {
      re += esc(c);
      i++;
    }
  }
  return new RegExp(`${re}$`);
}

/**
 * golang.org/x/mod/module.MatchPrefixPatterns: comma-separated globs; a glob with N slashes is
 * matched against the module path cut after its N+1-th element, so `example.com/org` covers
 * `example.com/org/repo/sub`.
 */
export function matchPrefixPatterns(globs: string, target: string): boolean {
  for (let glob of globs.split(',')) {
    glob = glob.trim().replace(/\/+$/, '');
    if (!glob) continue;
    let n = (glob.match(/\//g) ?? []).length;
    let prefix = target;
    for (let i = 0; i < target.length; i++) {
      if (target[i] === '/') {
        if (n === 0) {
          prefix = target.slice(0, i);
          break;
        }
        n--;
      }
    }
    if (n > 0) continue;
    if (globToRegExp(glob)?.test(prefix)) return true;
  }
  return false;
}
