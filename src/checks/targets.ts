// `targets`: is every GOOS/GOARCH target a port this Go supports? The list of ports comes from
// the running Go (`go tool dist list -json -broken`), never from a table of ours: ports come and
// go between releases (windows/arm was removed in 1.26). `go list` and `go env` accept any
// GOOS/GOARCH, so a typo only fails at `go build` time ("unsupported GOOS/GOARCH pair").
// The architecture variant variables (GOAMD64, GOARM, ...) are checked too: go only validates
// some of them, and then only for the matching GOARCH.

import { READ_LIMITS, readRepoFile } from '../core/safe-read.js';
import { distList, type DistPort } from '../core/runner.js';
import { reportPath } from '../core/paths.js';
import { buildGoVersion } from '../core/probe.js';
import { formatTarget, type Check, type CheckContext, type Finding, type Target } from '../core/types.js';
import { editDistance } from '../core/text.js';


/** The candidates closest to `word` (distance at most 2, and less than the word's length). */
function nearest(word: string, candidates: Iterable<string>): string[] {
  let best = Infinity;
  let out: string[] = [];
  for (const c of new Set(candidates)) {
    const dist = editDistance(word.toLowerCase(), c);
    if (dist > 2 || dist >= Math.max(word.length, 2)) continue;
    if (dist < best) {
      best = dist;
      out = [c];
    } else if (dist === best) out.push(c);
  }
  return out.sort();
}

function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Why a pair is not a port, with the nearest valid pairs. */
export function unknownTargetMessage(t: Target, ports: readonly DistPort[], goVersion: string): { message: string; hint: string } {
  const pair = formatTarget(t);
  const oses = new Set(ports.map((p) => p.GOOS));
  const arches = new Set(ports.map((p) => p.GOARCH));
  const archesOf = (os: string) => ports.filter((p) => p.GOOS === os).map((p) => p.GOARCH).sort();
  const osesOf = (arch: string) => ports.filter((p) => p.GOARCH === arch).map((p) => p.GOOS).sort();
  const base = `${pair} is not a GOOS/GOARCH pair ${goVersion} supports`;
  const suggest = (pairs: string[]) => ({ message: `${base}: did you mean ${orList(pairs)}?`, hint: `use ${orList(pairs)} in targets (see \`go tool dist list\`)` });

  if (oses.has(t.goos) && !arches.has(t.goarch)) {
    const near = nearest(t.goarch, archesOf(t.goos));
    if (near.length) return suggest(near.map((a) => `${t.goos}/${a}`));
    return { message: `${base}: unknown GOARCH ${t.goarch}; ${t.goos} supports ${archesOf(t.goos).join(', ')}`, hint: `pick one of ${archesOf(t.goos).map((a) => `${t.goos}/${a}`).join(', ')}` };
  }
  if (!oses.has(t.goos) && arches.has(t.goarch)) {
    const near = nearest(t.goos, osesOf(t.goarch));
    if (near.length) return suggest(near.map((o) => `${o}/${t.goarch}`));
    return { message: `${base}: unknown GOOS ${t.goos}; GOARCH ${t.goarch} is supported on ${osesOf(t.goarch).join(', ')}`, hint: `pick one of ${osesOf(t.goarch).map((o) => `${o}/${t.goarch}`).join(', ')}` };
  }
  if (oses.has(t.goos) && arches.has(t.goarch)) {
    return {
      message: `${base}: ${t.goos} has no ${t.goarch} port; ${t.goos} supports ${archesOf(t.goos).join(', ')}`,
      hint: `pick one of ${archesOf(t.goos).map((a) => `${t.goos}/${a}`).join(', ')}, or ${t.goarch} on ${osesOf(t.goarch).slice(0, 6).join(', ')}`,
    };
  }
  // Both unknown: nearest pairs by the sum of both distances.
  let best = Infinity;
  let pairs: string[] = [];
  for (const p of ports) {
    const d = editDistance(t.goos.toLowerCase(), p.GOOS) + editDistance(t.goarch.toLowerCase(), p.GOARCH);
    if (d < best) {
      best = d;
      pairs = [`${p.GOOS}/${p.GOARCH}`];
    } else if (d === best) pairs.push(`${p.GOOS}/${p.GOARCH}`);
  }
  if (best <= 3) return suggest(pairs.sort());
  return { message: `${base}: neither GOOS ${t.goos} nor GOARCH ${t.goarch} exists`, hint: 'pick a pair from `go tool dist list`' };
}

// ---------------------------------------------------------------------------------------------
// Architecture variant variables (go help environment).

interface Variant {
  name: string;
  arches: readonly string[];
  valid: (v: string) => boolean;
  expect: string;
}

const VARIANTS: readonly Variant[] = [
  { name: 'GOAMD64', arches: ['amd64'], valid: (v) => /^v[1-4]$/.test(v), expect: 'v1, v2, v3 or v4' },
  { name: 'GOARM', arches: ['arm'], valid: (v) => /^[567](,(softfloat|hardfloat))?$/.test(v), expect: '5, 6 or 7, optionally with ,softfloat or ,hardfloat' },
  {
    name: 'GOARM64',
    arches: ['arm64'],
    valid: (v) => {
      const [ver, ...opts] = v.split(',');
      return /^v(8\.[0-9]|9\.[0-5])$/.test(ver ?? '') && opts.every((o) => o === 'lse' || o === 'crypto') && new Set(opts).size === opts.length;
    },
    expect: 'v8.0 … v8.9 or v9.0 … v9.5, optionally with ,lse and/or ,crypto',
  },
  { name: 'GO386', arches: ['386'], valid: (v) => v === 'sse2' || v === 'softfloat', expect: 'sse2 or softfloat' },
  { name: 'GOMIPS', arches: ['mips', 'mipsle'], valid: (v) => v === 'hardfloat' || v === 'softfloat', expect: 'hardfloat or softfloat' },
  { name: 'GOMIPS64', arches: ['mips64', 'mips64le'], valid: (v) => v === 'hardfloat' || v === 'softfloat', expect: 'hardfloat or softfloat' },
  { name: 'GOPPC64', arches: ['ppc64', 'ppc64le'], valid: (v) => /^power(8|9|10)$/.test(v), expect: 'power8, power9 or power10' },
  { name: 'GORISCV64', arches: ['riscv64'], valid: (v) => /^rva2[023]u64$/.test(v), expect: 'rva20u64, rva22u64 or rva23u64' },
  {
    name: 'GOWASM',
    arches: ['wasm'],
    valid: (v) => v.split(',').every((o) => o === '' || o === 'satconv' || o === 'signext'),
    expect: 'a comma-separated list of satconv, signext',
  },
];

/** Where in the config file a target is written (when the targets come from the config file). */
async function configPosition(ctx: CheckContext): Promise<(t: Target) => Pick<Finding, 'file' | 'line' | 'column'>> {
  const cfg = ctx.settings.configFile;
  if (!cfg || !ctx.settings.targetsExplicit) return () => ({});
  const text = await readRepoFile(cfg, { root: ctx.probe.git.root ?? ctx.dir, maxBytes: READ_LIMITS.config, allowOutside: true }).catch(() => undefined);
  if (text === undefined) return () => ({});
  const lines = text.split('\n');
  const file = reportPath(ctx.dir, cfg);
  // Targets from a flag or input that the file does not mention are not the file's fault.
  const inFile = ctx.settings.targets.every((t) => text.includes(formatTarget(t)));
  if (!inFile) return () => ({});
  return (t) => {
    const s = formatTarget(t);
    for (let i = 0; i < lines.length; i++) {
      const col = lines[i]!.indexOf(s);
      if (col >= 0 && !/^\s*#/.test(lines[i]!)) return { file, line: i + 1, column: col + 1 };
    }
    return { file };
  };
}

export const targetsCheck: Check = {
  id: 'targets',
  title: 'GOOS/GOARCH targets',
  needs: ['go', 'env'],
  async run(ctx) {
    const ports = await distList(ctx.go, ctx.signal, ctx.probe.modules[0]?.dir);
    if (!ports) throw new Error('`go tool dist list -json -broken` failed; cannot tell which targets this Go supports');
    const goVersion = buildGoVersion(ctx.probe, ctx.probe.modules[0]);
    const where = await configPosition(ctx);
    const findings: Finding[] = [];
    const seen = new Set<string>();
    const good: Target[] = [];

    for (const t of ctx.settings.targets) {
      const pair = formatTarget(t);
      if (seen.has(pair)) {
        findings.push({ severity: 'notice', message: `${pair} is listed twice in targets`, hint: 'remove the duplicate', ...where(t), target: pair });
        continue;
      }
      seen.add(pair);
      const port = ports.find((p) => p.GOOS === t.goos && p.GOARCH === t.goarch);
      if (!port) {
        findings.push({ severity: 'error', ...unknownTargetMessage(t, ports, goVersion), ...where(t), target: pair });
        continue;
      }
      good.push(t);
      if (port.Broken) {
        findings.push({
          severity: 'error',
          message: `${pair} is marked broken in ${goVersion}: the port does not build`,
          hint: `remove ${pair} from targets, or use a Go release where the port works`,
          ...where(t),
          target: pair,
        });
      } else if (!port.FirstClass) {
        findings.push({
          severity: 'notice',
          message: `not a first-class port: ${pair} (the Go team does not block releases on it; expect rougher edges)`,
          ...where(t),
          target: pair,
        });
      }
    }

    const usedArches = new Set(good.map((t) => t.goarch));
    for (const v of VARIANTS) {
      const value = ctx.env[v.name];
      if (value === undefined || value === '') continue;
      const used = v.arches.some((a) => usedArches.has(a));
      const forTargets = good.filter((t) => v.arches.includes(t.goarch)).map(formatTarget).join(', ');
      if (!v.valid(value)) {
        findings.push({
          severity: 'error',
          message: `${v.name}=${value} is not a valid value (${v.name} takes ${v.expect})${used ? '' : `; no target is ${v.arches.join('/')}`}`,
          hint: `set ${v.name} to ${v.expect}, or unset it`,
          ...(forTargets ? { target: forTargets } : {}),
        });
      } else if (!used) {
        findings.push({
          severity: 'notice',
          message: `${v.name}=${value} is set but no target is ${v.arches.join(' or ')}, so it has no effect`,
          hint: `unset ${v.name}, or add a ${v.arches.join('/')} target`,
        });
      }
    }

    const notes = [`${ctx.settings.targets.length} target${ctx.settings.targets.length === 1 ? '' : 's'} checked against the ${ports.length} ports of ${goVersion}`];
    return { findings, notes };
  },
};
